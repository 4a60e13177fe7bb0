import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JetStreamApiError } from '@nats-io/jetstream';
import { jserrors } from '@nats-io/jetstream/internal';
import { errors } from '@nats-io/transport-node';
import { MeshError } from '../../core/errors.js';
import { hasApiCode, toMeshError } from './errors.js';

function apiError(code: number, description: string, status = 400): JetStreamApiError {
  return new JetStreamApiError({ code: status, err_code: code, description });
}

const cases: { name: string; error: unknown; code: MeshError['code'] }[] = [
  {
    name: 'a stream at max_bytes (discard new) is full: 507',
    error: apiError(10077, 'maximum bytes exceeded', 503),
    code: 'MESH_BACKEND_FULL',
  },
  {
    name: 'a stream at max_msgs is full',
    error: apiError(10077, 'maximum messages exceeded', 503),
    code: 'MESH_BACKEND_FULL',
  },
  {
    name: 'a server out of storage is full',
    error: apiError(10047, 'insufficient storage resources available', 503),
    code: 'MESH_BACKEND_FULL',
  },
  {
    name: 'no JetStream answering (no responders) is unavailable: 503',
    error: new jserrors.JetStreamNotEnabled('jetstream is not enabled'),
    code: 'MESH_BACKEND_UNAVAILABLE',
  },
  {
    name: 'a publish that timed out is unavailable',
    error: new errors.TimeoutError(),
    code: 'MESH_BACKEND_UNAVAILABLE',
  },
  {
    name: 'a closed connection is unavailable',
    error: new errors.ClosedConnectionError(),
    code: 'MESH_BACKEND_UNAVAILABLE',
  },
  {
    name: 'another store failure is unavailable, not full',
    error: apiError(10077, 'some disk error', 503),
    code: 'MESH_BACKEND_UNAVAILABLE',
  },
  {
    name: 'an event over max_payload is too large: 413',
    error: new Error('MAX_PAYLOAD_EXCEEDED: maximum payload exceeded'),
    code: 'MESH_BODY_TOO_LARGE',
  },
  {
    name: "the client's own refusal of a payload over max_payload is too large: 413",
    error: errors.InvalidArgumentError.format('payload', 'max_payload size exceeded'),
    code: 'MESH_BODY_TOO_LARGE',
  },
];

for (const { name, error, code } of cases) {
  test(`toMeshError: ${name}`, () => {
    const mapped = toMeshError(error, 'appending events');
    assert.equal(mapped.code, code);
    assert.match(mapped.message, /^appending events: /);
    assert.equal(mapped.cause, error);
  });
}

test('toMeshError passes MeshErrors through unchanged', () => {
  const original = new MeshError('MESH_RESOURCE_EXISTS', 'taken');
  assert.equal(toMeshError(original, 'x'), original);
});

test('hasApiCode recognizes JetStream API errors by code, subclasses included', () => {
  assert.ok(hasApiCode(apiError(10014, 'consumer not found', 404), 10014));
  assert.ok(!hasApiCode(apiError(10014, 'consumer not found', 404), 10059));
  assert.ok(!hasApiCode(new Error('consumer not found'), 10014));
});
