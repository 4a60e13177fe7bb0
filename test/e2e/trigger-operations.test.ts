// What an operator does to a running trigger through the API (docs/api.md, docs/decisions/trigger-pause.md):
// pause it (events queue, nothing is delivered, Ready says Paused) and resume it (the backlog is delivered),
// read the broker's statistics, find dead-lettered events and deliver one again once the subscriber is fixed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { quiet, startSubscriber, type Subscriber } from '../support/subscriber.js';

const TRIGGERS = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';
const BROKERS = '/apis/eventing.knative.dev/v1/namespaces/default/brokers';
const PAUSED = 'eventing.cemesh.dev/paused';

let server: TestServer;
let subscriber: Subscriber;
let failing = false;

before(async () => {
  server = await startTestServer();
  subscriber = await startSubscriber(() => ({ status: failing ? 500 : 200 }));
  await server.apply(
    broker('ops'),
    trigger('t', {
      broker: 'ops',
      subscriber: { uri: subscriber.url },
      delivery: { retry: 1, backoffPolicy: 'linear', backoffDelay: 'PT0.01S' },
    }),
  );
});
after(async () => {
  await server.stop();
  await subscriber.close();
});

async function send(id: string): Promise<void> {
  const res = await request(`${server.ingressUrl}/default/ops`, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/ops', 'ce-type': 'ops.test' },
    body: '',
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

async function setPaused(paused: boolean): Promise<void> {
  const patch = await server.api('PATCH', `${TRIGGERS}/t`, {
    metadata: { annotations: { [PAUSED]: paused ? 'true' : null } },
  });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  await quiet(50);
  await server.reconciler.idle();
}

function ready(object: any): { status: string; reason?: string; message?: string } {
  return object.status.conditions.find((c: { type: string }) => c.type === 'Ready');
}

async function until<T>(what: string, get: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await get();
    if (ok(value)) return value;
    await quiet(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a paused trigger queues matching events and delivers them on resume; Ready says Paused meanwhile', async () => {
  await setPaused(true);
  const paused = (await server.api('GET', `${TRIGGERS}/t`)).body;
  assert.equal(ready(paused).status, 'False');
  assert.equal(ready(paused).reason, 'Paused');
  assert.match(ready(paused).message ?? '', /kept and delivered on resume/);
  await send('p1');
  await send('p2');
  await quiet(300);
  assert.equal(subscriber.received.length, 0, 'nothing is delivered while paused');
  const stats = (await server.api('GET', `${BROKERS}/ops/stats`)).body;
  assert.equal(stats.backlog, 2, 'the two events wait in the backlog');
  assert.equal(stats.triggers.t.pending, 2);

  await setPaused(false);
  assert.equal(ready((await server.api('GET', `${TRIGGERS}/t`)).body).status, 'True');
  await subscriber.waitFor(2);
  const after = await until(
    'the stats to count two deliveries',
    async () => (await server.api('GET', `${BROKERS}/ops/stats`)).body,
    (s) => s.triggers.t?.delivered === 2,
  );
  assert.equal(after.accepted, 2);
  assert.deepEqual(after.sources, { '/ops': 2 });
  assert.equal(after.backlog, 0);
  assert.equal(after.triggers.t.successRate, 1);
  assert.ok(after.triggers.t.latencyMs.p95 >= after.triggers.t.latencyMs.p50);
});

test('a dead-lettered event is listed as failed and delivered again on redeliver', async () => {
  failing = true;
  await send('f1');
  const failed = await until(
    'the event to fail',
    async () => (await server.api('GET', `${TRIGGERS}/t/deliveries?outcome=failed`)).body.items,
    (items: any[]) => items.length === 1,
  );
  assert.equal(failed[0].id, 'f1');
  assert.equal(failed[0].triggers.t.outcome, 'undeliverable');
  const stats = (await server.api('GET', `${BROKERS}/ops/stats`)).body;
  assert.equal(stats.failed, 1);
  assert.equal(stats.triggers.t.lastError.id, 'f1');
  assert.equal(stats.triggers.t.lastError.result, 'HTTP 500');

  failing = false;
  const before = subscriber.received.length;
  const reply = await server.api('POST', `${TRIGGERS}/t/redeliver`, { source: '/ops', id: 'f1' });
  assert.deepEqual(reply.body, { redelivered: 1 });
  await subscriber.waitFor(before + 1);
  const record = await until(
    'the record to say delivered',
    async () => (await server.api('GET', `${BROKERS}/ops/deliveries?id=f1`)).body.items[0],
    (r: any) => r.triggers.t.outcome === 'delivered',
  );
  assert.equal(record.triggers.t.attempts.at(-1).status, 200, 'the new attempt is on the same record');
  const gone = await server.api('POST', `${TRIGGERS}/t/redeliver`, { source: '/ops', id: 'never-sent' });
  assert.equal(gone.status, 404);
});
