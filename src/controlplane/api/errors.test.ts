import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError, type ErrorCode } from '../../core/errors.js';
import { isInternal, statusOf } from './errors.js';

const table: [ErrorCode, number, string][] = [
  ['MESH_RESOURCE_INVALID', 422, 'Invalid'],
  ['MESH_RESOURCE_NOT_FOUND', 404, 'NotFound'],
  ['MESH_RESOURCE_EXISTS', 409, 'AlreadyExists'],
  ['MESH_RESOURCE_CONFLICT', 409, 'Conflict'],
  ['MESH_KIND_UNKNOWN', 404, 'NotFound'],
  ['MESH_UNAUTHORIZED', 401, 'Unauthorized'],
  ['MESH_REQUEST_INVALID', 400, 'BadRequest'],
  ['MESH_BODY_TOO_LARGE', 413, 'RequestEntityTooLarge'],
  ['MESH_BROKER_NOT_FOUND', 404, 'NotFound'],
  ['MESH_METHOD_NOT_ALLOWED', 405, 'MethodNotAllowed'],
  ['MESH_INTERNAL', 500, 'InternalError'],
];

for (const [code, http, reason] of table) {
  test(`${code} maps to HTTP ${http} with reason ${reason}`, () => {
    const status = statusOf(new MeshError(code, 'the message'));
    assert.equal(status.code, http);
    assert.equal(status.reason, reason);
    assert.equal(status.kind, 'Status');
    assert.equal(status.status, 'Failure');
  });
}

test('a Status carries every field error of a MeshError as details.causes', () => {
  const causes = [
    { field: 'spec.broker', message: 'required' },
    { field: 'spec.filters[1].cesql', message: 'syntax error' },
  ];
  const status = statusOf(new MeshError('MESH_RESOURCE_INVALID', 'invalid', { causes }));
  assert.deepEqual(status.details.causes, causes);
  assert.equal(status.message, 'invalid');
});

test('errors that are not MeshErrors become a 500 that does not leak their message', () => {
  const error = new Error('ENOENT: /secret/path/admin.token');
  const status = statusOf(error);
  assert.equal(status.code, 500);
  assert.doesNotMatch(JSON.stringify(status), /secret/);
  assert.equal(isInternal(error), true);
  assert.equal(isInternal(new MeshError('MESH_RESOURCE_INVALID', 'x')), false);
  assert.equal(isInternal(new MeshError('MESH_INTERNAL', 'x')), true);
});
