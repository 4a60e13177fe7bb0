// An ordered trigger over a sharded broker (4 streams) on a 3-node NATS cluster, delivered by two cemesh
// replicas (each shard claimed by one of them), with a subscriber failing at random; the replica that
// delivered most is SIGKILLed mid-stream. Per partition key, what the subscriber saw must be the accepted
// order once every repeat is dropped (docs/delivery.md, "Ordered delivery": a repeat rewinds a key to its
// oldest unsettled event, it never lets a younger event go first), and every event must be delivered or
// dead-lettered. ack_wait and the claim TTL are short (--nats-ack-wait, --nats-claim-ttl) so the take-over
// is quick. Runs in `npm run test:cluster` (CEMESH_TEST_CLUSTER=1).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { natsServerBinary } from '../support/nats.js';
import { startNatsCluster, type NatsCluster } from '../support/nats-cluster.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { startSubscriber, type Received, type Subscriber } from '../support/subscriber.js';

const skip =
  natsServerBinary() === undefined
    ? 'nats-server is not installed (apt-get install nats-server)'
    : process.env['CEMESH_TEST_CLUSTER'] !== '1'
      ? 'runs in npm run test:cluster (CEMESH_TEST_CLUSTER=1)'
      : false;

const TOKEN = 'cluster-test-admin-token-of-32-characters';
const EVENTS = 2_000;
const KEYS = 100;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: NatsCluster;
const replicas: ServerProcess[] = [];
const dirs: string[] = [];
const subscribers: Subscriber[] = [];

async function api(
  server: ServerProcess,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<any> {
  const pool = new Pool(server.adminUrl);
  try {
    const res = await pool.request({
      path,
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    assert.ok(res.statusCode < 300, `${method} ${path}: ${res.statusCode} ${text}`);
    return path === '/metrics' ? text : JSON.parse(text);
  } finally {
    await pool.close();
  }
}

async function deliveredBy(server: ServerProcess): Promise<number> {
  const text = (await api(server, 'GET', '/metrics')) as string;
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('cemesh_deliveries_total{') &&
        l.includes('trigger="ordered"') &&
        l.includes('outcome="delivered"'),
    );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function startReplica(): Promise<ServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-cluster-ordered-'));
  dirs.push(dataDir);
  const replica = await startServerProcess([
    '--backend',
    'jetstream',
    '--nats',
    cluster.urls.join(','),
    '--nats-replicas',
    '3',
    '--nats-ack-wait',
    'PT5S',
    '--nats-claim-ttl',
    'PT3S',
    '--admin-token',
    TOKEN,
    '--data-dir',
    dataDir,
    '--log-level',
    'warn',
  ]);
  replicas.push(replica);
  return replica;
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

before(async () => {
  if (skip !== false) return;
  cluster = await startNatsCluster();
});
after(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  for (const s of subscribers) await s.close();
  await cluster?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const idOf = (r: Received): string => String(r.headers['ce-id']);
const keyOf = (r: Received): string => String(r.headers['ce-partitionkey']);

test(
  'a replica killed mid-stream: per key the first deliveries keep the accepted order, nothing is lost',
  { skip, timeout: 180_000 },
  async (t) => {
    const [a, b] = await Promise.all([startReplica(), startReplica()]);
    const rnd = random(21);
    const delivered = new Set<string>();
    const subscriber = await startSubscriber((_, r) => {
      if (rnd() < 0.1) return { status: 503 };
      delivered.add(idOf(r));
      return { status: 200, delayMs: 2 };
    });
    const sink = await startSubscriber();
    subscribers.push(subscriber, sink);
    await api(a, 'POST', '/apis/eventing.knative.dev/v1/namespaces/default/brokers', {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      metadata: { name: 'orders', annotations: { 'eventing.cemesh.dev/shards': '4' } },
    });
    await api(a, 'POST', '/apis/eventing.knative.dev/v1/namespaces/default/triggers', {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: {
        name: 'ordered',
        annotations: {
          'kafka.eventing.knative.dev/delivery.order': 'ordered',
          'eventing.cemesh.dev/max-inflight': '20',
        },
      },
      spec: {
        broker: 'orders',
        subscriber: { uri: subscriber.url },
        delivery: {
          retry: 5,
          backoffPolicy: 'linear',
          backoffDelay: 'PT0.01S',
          deadLetterSink: { uri: sink.url },
        },
      },
    });
    // Both replicas serve the broker before anything is sent (either may hold any shard).
    const ready = async (r: ServerProcess): Promise<boolean> => {
      const broker = await api(r, 'GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/orders');
      return (broker.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    };
    for (let i = 0; !((await ready(a)) && (await ready(b))); i++) {
      assert.ok(i < 300, 'the broker became Ready on both replicas');
      await sleep(100);
    }
    await sleep(2_000);

    // Everything is accepted first (through replica a), in batches: the accepted order per key is known.
    const accepted = new Map<string, string[]>();
    const pool = new Pool(a.ingressUrl);
    let notReadyAnswers = 0;
    for (let start = 0; start < EVENTS; start += 100) {
      const batch = [];
      for (let i = start; i < start + 100; i++) {
        const key = `k${Math.floor(rnd() * KEYS)}`;
        batch.push({
          specversion: '1.0',
          id: `e${i}`,
          source: '/cluster',
          type: 'order.changed',
          partitionkey: key,
        });
        accepted.set(key, [...(accepted.get(key) ?? []), `e${i}`]);
      }
      // A replica still opening the broker's streams answers 503 (nothing stored): sent again, as a sender would.
      for (let attempt = 1; ; attempt++) {
        const res = await pool.request({
          path: '/default/orders',
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents-batch+json' },
          body: JSON.stringify(batch),
        });
        const text = await res.body.text();
        if (res.statusCode === 503 && attempt < 100) {
          notReadyAnswers++;
          await sleep(200);
          continue;
        }
        assert.equal(res.statusCode, 202, text);
        break;
      }
    }
    await pool.close();
    t.diagnostic(
      `replica a answered 503 (broker not Ready there yet) ${notReadyAnswers} times before accepting`,
    );

    for (let i = 0; delivered.size < EVENTS / 4; i++) {
      assert.ok(i < 600, `a quarter delivered within 60 s (${delivered.size})`);
      await sleep(100);
    }
    const [byA, byB] = await Promise.all([deliveredBy(a), deliveredBy(b)]);
    const victim = byA >= byB ? a : b;
    t.diagnostic(
      `before the kill: replica a delivered ${byA}, b ${byB}; killing ${victim === a ? 'a' : 'b'}`,
    );
    await victim.kill();

    for (let i = 0; delivered.size + new Set(sink.received.map(idOf)).size < EVENTS; i++) {
      assert.ok(i < 1_200, `every event delivered or dead-lettered within 120 s (${delivered.size})`);
      await sleep(100);
    }
    const deadLettered = new Set(sink.received.map(idOf));
    for (const [key, ids] of accepted) {
      for (const id of ids) assert.ok(delivered.has(id) || deadLettered.has(id), `${id} (${key}) lost`);
      const log = subscriber.received.filter((r) => keyOf(r) === key).map(idOf);
      const firsts = log.filter((id, i) => log.indexOf(id) === i);
      assert.deepEqual(firsts, ids, `${key}: first deliveries in accepted order`);
    }
    const repeats = subscriber.received.length - new Set(subscriber.received.map(idOf)).size;
    t.diagnostic(`attempts ${subscriber.received.length}, repeats (retries and redeliveries) ${repeats}`);
  },
);
