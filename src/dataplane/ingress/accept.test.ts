// The broker ingress's logic against a fake IngressPort: every outcome, with no HTTP and no Mesh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';
import { acceptEvents, type IngressRequest } from './accept.js';
import type { BrokerHandle, IngressPort } from './port.js';

const EVENT = { specversion: '1.0', id: '1', source: '/s', type: 't' };

class FakePort implements IngressPort {
  readonly stored: { broker: BrokerHandle; events: readonly CloudEvent[] }[] = [];
  constructor(
    private readonly refusal?: MeshError,
    private readonly storeFailure?: unknown,
  ) {}
  accepting(namespace: string, name: string): BrokerHandle {
    if (this.refusal) throw this.refusal;
    return { namespace, name };
  }
  async ingest(broker: BrokerHandle, events: readonly CloudEvent[]): Promise<void> {
    if (this.storeFailure !== undefined) throw this.storeFailure;
    this.stored.push({ broker, events });
  }
}

function request(body: unknown, overrides: Partial<IngressRequest> = {}): IngressRequest & { reads: number } {
  const state = { reads: 0 };
  return Object.assign(state, {
    namespace: 'default',
    broker: 'orders',
    headers: { 'content-type': 'application/cloudevents+json' },
    rawHeaders: ['content-type', 'application/cloudevents+json'],
    body: async () => {
      state.reads += 1;
      return Buffer.from(JSON.stringify(body));
    },
    ...overrides,
  });
}

test('a valid event is stored and accepted, with the broker and the decoded events', async () => {
  const port = new FakePort();
  const outcome = await acceptEvents({ port }, request(EVENT));
  assert.equal(outcome.type, 'accepted');
  assert.deepEqual(outcome.broker, { namespace: 'default', name: 'orders' });
  assert.equal(port.stored[0]?.events[0]?.attributes['id'], '1');
});

test('a broker that may not take events is a refusal with its typed error, and the body is never read', async () => {
  const port = new FakePort(new MeshError('MESH_BROKER_NOT_FOUND', 'broker default/orders not found'));
  const req = request(EVENT);
  const outcome = await acceptEvents({ port }, req);
  assert.equal(outcome.type === 'refused' && outcome.error.code, 'MESH_BROKER_NOT_FOUND');
  assert.equal(req.reads, 0);
  assert.equal(port.stored.length, 0);
});

test('before the mesh is wired every request is refused as unavailable (retryable)', async () => {
  const outcome = await acceptEvents({ port: new FakePort(), isReady: () => false }, request(EVENT));
  assert.equal(outcome.type === 'refused' && outcome.error.code, 'MESH_BACKEND_UNAVAILABLE');
});

test('an invalid event is refused naming the broker, and nothing is stored', async () => {
  const port = new FakePort();
  const outcome = await acceptEvents({ port }, request({ ...EVENT, id: '' }));
  assert.equal(outcome.type, 'refused');
  assert.equal(outcome.type === 'refused' && outcome.error.code, 'MESH_EVENT_INVALID');
  assert.deepEqual(outcome.broker, { namespace: 'default', name: 'orders' });
  assert.equal(port.stored.length, 0);
});

test('a repeated CloudEvents header is refused before the body is read', async () => {
  const req = request(EVENT, { rawHeaders: ['ce-id', 'a', 'ce-id', 'b'] });
  const outcome = await acceptEvents({ port: new FakePort() }, req);
  assert.equal(outcome.type, 'refused');
  assert.equal(req.reads, 0);
});

test('a store that refuses (full) is a refusal carrying the events, for the edge to count', async () => {
  const full = new MeshError('MESH_BACKEND_FULL', 'the store is full');
  const outcome = await acceptEvents({ port: new FakePort(undefined, full) }, request(EVENT));
  assert.equal(outcome.type === 'refused' && outcome.error, full);
  assert.equal(outcome.events?.length, 1);
});

test('the trace context from storing() is where the events are stored', async () => {
  const seen: unknown[] = [];
  const port: IngressPort = {
    accepting: (namespace, name) => ({ namespace, name }),
    ingest: async (_broker, _events, _ttl, parent) => {
      seen.push(parent);
    },
  };
  const context = { marker: true } as never;
  await acceptEvents({ port }, request(EVENT, { storing: () => context }));
  assert.deepEqual(seen, [context]);
});

test('an error that is not a MeshError is a bug: it rejects, for the edge to answer 500', async () => {
  await assert.rejects(
    acceptEvents({ port: new FakePort(undefined, new TypeError('boom')) }, request(EVENT)),
    /boom/,
  );
});
