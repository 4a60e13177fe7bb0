// Ordered triggers through a running server (docs/delivery.md, "Ordered delivery"): Knative's Kafka
// annotation on a Trigger, a subscriber that fails at random, events of 20 partition keys sent one after
// another. Per key, the subscriber sees the events in the order they were accepted (a retried event's
// repeats aside); events that ran out of retries reach the dead-letter sink and their key moves on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Received, type Subscriber } from '../support/subscriber.js';

const ORDER = 'kafka.eventing.knative.dev/delivery.order';
let server: TestServer;
const subscribers: Subscriber[] = [];

before(async () => {
  server = await startTestServer({ backend: 'embedded' });
});
after(async () => {
  await server.stop();
  for (const s of subscribers) await s.close();
});

/** Seeded (mulberry32), so a failing run repeats. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function send(ns: string, id: string, key: string | undefined): Promise<void> {
  const res = await request(`${server.ingressUrl}/${ns}/default`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': '/orders',
      'ce-type': 'order.changed',
      ...(key === undefined ? {} : { 'ce-partitionkey': key }),
    },
    body: '{}',
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

const EVENT = { specversion: '1.0', source: '/orders', type: 'order.changed', data: {} };
const idOf = (r: Received): string => String(r.headers['ce-id']);
const keyOf = (r: Received): string => String(r.headers['ce-partitionkey']);

test('an ordered trigger delivers each partition key in accepted order while its subscriber fails at random', async () => {
  const rnd = random(13);
  const delivered = new Set<string>();
  const flaky = await startSubscriber((_, r) => {
    if (rnd() < 0.25) return { status: 503 };
    delivered.add(idOf(r));
    return { status: 200 };
  });
  const sink = await startSubscriber();
  subscribers.push(flaky, sink);
  const ns = 'ordered';
  await server.apply(
    namespace(ns),
    broker('default', ns),
    trigger(
      'orders',
      {
        broker: 'default',
        subscriber: { uri: flaky.url },
        delivery: {
          retry: 2,
          backoffPolicy: 'linear',
          backoffDelay: 'PT0.01S',
          deadLetterSink: { uri: sink.url },
        },
      },
      ns,
      { [ORDER]: 'ordered', 'eventing.cemesh.dev/max-inflight': '10' },
    ),
  );
  // In batches, so that many events of each key wait at once and a retry could overtake.
  const accepted = new Map<string, string[]>();
  for (let batch = 0; batch < 4; batch++) {
    const events = [];
    for (let i = batch * 100; i < (batch + 1) * 100; i++) {
      const key = `customer-${i % 20}`;
      events.push({ ...EVENT, id: `e${i}`, partitionkey: key });
      accepted.set(key, [...(accepted.get(key) ?? []), `e${i}`]);
    }
    const res = await request(`${server.ingressUrl}/${ns}/default`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(events),
    });
    assert.equal(res.statusCode, 202, await res.body.text());
  }
  const deadline = Date.now() + 60_000;
  while (delivered.size + sink.received.length < 400 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const deadLettered = new Set(sink.received.map(idOf));
  assert.equal(delivered.size + deadLettered.size, 400, 'every event delivered or dead-lettered');
  assert.ok(deadLettered.size > 0, 'some ran out of retries, and their keys went on');
  for (const [key, ids] of accepted) {
    const attempts = flaky.received.filter((r) => keyOf(r) === key).map(idOf);
    const firsts = attempts.filter((id, i) => i === 0 || attempts[i - 1] !== id);
    assert.deepEqual(firsts, ids, `${key}: attempted in accepted order`);
  }
});

test('an unknown delivery order is refused with 422, naming the annotation', async () => {
  const res = await server.api(
    'POST',
    '/apis/eventing.knative.dev/v1/namespaces/default/triggers',
    trigger('bad-order', { broker: 'default', subscriber: { uri: 'http://127.0.0.1:9/' } }, 'default', {
      [ORDER]: 'fifo',
    }),
  );
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.details.causes, [
    { field: `metadata.annotations[${ORDER}]`, message: '"fifo" must be "ordered" or "unordered"' },
  ]);
});

test('events without a partition key still reach an ordered trigger, each on its own', async () => {
  const target = await startSubscriber();
  subscribers.push(target);
  const ns = 'unkeyed';
  await server.apply(
    namespace(ns),
    broker('default', ns),
    trigger('all', { broker: 'default', subscriber: { uri: target.url } }, ns, {
      'eventing.cemesh.dev/delivery-order': 'ordered',
    }),
  );
  for (let i = 0; i < 10; i++) await send(ns, `n${i}`, undefined);
  const received = await target.waitFor(10, 10_000);
  assert.deepEqual(new Set(received.map(idOf)).size, 10);
});
