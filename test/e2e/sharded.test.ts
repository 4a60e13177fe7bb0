// Sharded brokers on JetStream (docs/decisions/sharded-brokers.md) through a running server: a broker
// annotated `eventing.cemesh.dev/shards: "4"` is four streams; events go to one by a hash of their
// partition key, round-robin without one; an ordered trigger, whose subscriber fails at random, still gets
// each key in accepted order, and an unordered trigger on the same broker gets every event: nothing lost
// across the shards. The count is range-checked and immutable (422).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { request } from 'undici';
import { brokerNames } from '../../src/backends/jetstream/names.js';
import { natsServerBinary, startNatsServer, type NatsServer } from '../support/nats.js';
import { namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Received, type Subscriber } from '../support/subscriber.js';

const skip =
  natsServerBinary() === undefined ? 'nats-server is not installed (apt-get install nats-server)' : false;
const SHARDS = 'eventing.cemesh.dev/shards';
const ORDER = 'kafka.eventing.knative.dev/delivery.order';
const NS = 'sharded';
const BROKERS = `/apis/eventing.knative.dev/v1/namespaces/${NS}/brokers`;

let nats: NatsServer;
let nc: NatsConnection;
let server: TestServer;
const subscribers: Subscriber[] = [];

before(async () => {
  if (skip !== false) return;
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  server = await startTestServer({ flags: { nats: nats.url } });
  await server.apply(namespace(NS, { 'eventing.cemesh.dev/persistence': 'jetstream' }));
});
after(async () => {
  if (skip !== false) return;
  await server.stop();
  for (const s of subscribers) await s.close();
  await nc.close();
  await nats.dispose();
});

function shardedBroker(name: string, shards: string): Record<string, unknown> {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: { name, namespace: NS, annotations: { [SHARDS]: shards } },
    spec: {},
  };
}

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

/** Messages stored in each of the broker's `count` streams. */
async function messagesPerStream(broker: string, count: number): Promise<number[]> {
  const jsm = await jetstreamManager(nc);
  const ref = { namespace: NS, name: broker };
  const names = Array.from({ length: count }, (_, i) => brokerNames('cemesh', ref, i).stream);
  return Promise.all(names.map(async (stream) => (await jsm.streams.info(stream)).state.messages));
}

async function sendBatch(broker: string, events: Record<string, unknown>[]): Promise<void> {
  const res = await request(`${server.ingressUrl}/${NS}/${broker}`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify(events),
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

const EVENT = { specversion: '1.0', source: '/orders', type: 'order.changed', data: {} };
const idOf = (r: Received): string => String(r.headers['ce-id']);
const keyOf = (r: Received): string => String(r.headers['ce-partitionkey']);

test(
  '4 shards: an ordered trigger gets each key in accepted order while its subscriber fails at random; nothing is lost',
  { skip },
  async () => {
    const rnd = random(4);
    const delivered = new Set<string>();
    const flaky = await startSubscriber((_, r) => {
      if (rnd() < 0.2) return { status: 503 };
      delivered.add(idOf(r));
      return { status: 200 };
    });
    const sink = await startSubscriber();
    const all = await startSubscriber();
    subscribers.push(flaky, sink, all);
    await server.apply(
      shardedBroker('orders', '4') as never,
      trigger(
        'ordered',
        {
          broker: 'orders',
          subscriber: { uri: flaky.url },
          delivery: {
            retry: 2,
            backoffPolicy: 'linear',
            backoffDelay: 'PT0.01S',
            deadLetterSink: { uri: sink.url },
          },
        },
        NS,
        { [ORDER]: 'ordered', 'eventing.cemesh.dev/max-inflight': '50' },
      ),
      trigger('everything', { broker: 'orders', subscriber: { uri: all.url } }, NS),
    );
    const status = (await server.api('GET', `${BROKERS}/orders`)).body.status;
    assert.equal(status.shards, 4, 'status shows the shards');

    const total = 4_000;
    const accepted = new Map<string, string[]>();
    for (let start = 0; start < total; start += 100) {
      const events = [];
      for (let i = start; i < start + 100; i++) {
        const key = `customer-${Math.floor(rnd() * 100)}`;
        events.push({ ...EVENT, id: `e${i}`, partitionkey: key });
        accepted.set(key, [...(accepted.get(key) ?? []), `e${i}`]);
      }
      await sendBatch('orders', events);
    }
    const deadline = Date.now() + 120_000;
    while (delivered.size + sink.received.length < total && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const deadLettered = new Set(sink.received.map(idOf));
    assert.equal(delivered.size + deadLettered.size, total, 'every event delivered or dead-lettered');
    assert.ok(deadLettered.size > 0, 'some ran out of retries, and their keys went on');
    for (const [key, ids] of accepted) {
      const attempts = flaky.received.filter((r) => keyOf(r) === key).map(idOf);
      const firsts = attempts.filter((id, i) => i === 0 || attempts[i - 1] !== id);
      assert.deepEqual(firsts, ids, `${key}: attempted in accepted order`);
    }
    await all.waitFor(total, 60_000);
    assert.equal(new Set(all.received.map(idOf)).size, total, 'the unordered trigger got every event');
    const perStream = await messagesPerStream('orders', 4);
    assert.ok(
      perStream.every((n) => n > 0),
      `every shard holds events: ${perStream.join(', ')}`,
    );
  },
);

test('events without a partition key go to the shards in turn', { skip }, async () => {
  await server.apply(shardedBroker('unkeyed', '4') as never);
  await sendBatch(
    'unkeyed',
    Array.from({ length: 8 }, (_, i) => ({ ...EVENT, id: `u${i}` })),
  );
  assert.deepEqual(await messagesPerStream('unkeyed', 4), [2, 2, 2, 2]);
});

test(
  'the shard count is checked (1 to 16) and cannot change: 422 naming the annotation',
  { skip },
  async () => {
    const path = `metadata.annotations[${SHARDS}]`;
    const bad = await server.api('POST', BROKERS, shardedBroker('too-many', '17'));
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.details.causes, [
      { field: path, message: '"17" must be a whole number from 1 to 16' },
    ]);

    await server.apply(shardedBroker('fixed', '2') as never);
    const current = (await server.api('GET', `${BROKERS}/fixed`)).body;
    current.metadata.annotations[SHARDS] = '8';
    const changed = await server.api('PUT', `${BROKERS}/fixed`, current);
    assert.equal(changed.status, 422);
    assert.equal(changed.body.details.causes[0].field, path);
    assert.match(changed.body.details.causes[0].message, /^is immutable \(2 -> 8\)/);
  },
);
