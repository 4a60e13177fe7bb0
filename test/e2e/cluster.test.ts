// Scale-out on JetStream (ARCHITECTURE 2.6, 3 Guarantees, 5): two `cemesh serve` replicas share a 3-node
// NATS cluster (streams and bucket with 3 replicas). Resources applied on one replica are served and acted
// on by the other; any replica accepts ingress and the delivery work is shared, each event delivered once
// per trigger; and with one replica and one NATS node SIGKILLed mid-stream, every event that got a 202 still
// reaches the subscriber at least once. Duplicates are allowed (at-least-once), counted and reported.
//
// It takes 25-55 s (a killed replica's leases may come back only after the consumers' ack_wait, 30 s), so
// it runs in `npm run test:cluster` (CEMESH_TEST_CLUSTER=1), not in `npm test`. docs/jetstream.md describes
// what it shows; docs/decisions/jetstream-cluster.md what it found.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'undici';
import { brokerNames } from '../../src/backends/jetstream/names.js';
import { natsServerBinary } from '../support/nats.js';
import { startNatsCluster, type NatsCluster } from '../support/nats-cluster.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const skip =
  natsServerBinary() === undefined
    ? 'nats-server is not installed (apt-get install nats-server)'
    : process.env['CEMESH_TEST_CLUSTER'] !== '1'
      ? 'runs in npm run test:cluster (CEMESH_TEST_CLUSTER=1)'
      : false;

const TOKEN = 'cluster-test-admin-token-of-32-characters';
const TRIGGER_PATH = '/apis/eventing.knative.dev/v1/namespaces/default/triggers/all';
/** ack_wait (30 s, the backend's default) brings a dead replica's leases back; then some slack. */
const REDELIVERY_BOUND_MS = 55_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean> | boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

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
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    assert.ok(res.statusCode < 300, `${method} ${path}: ${res.statusCode} ${text}`);
    return path === '/metrics' ? text : JSON.parse(text);
  } finally {
    await pool.close();
  }
}

/** Events the replica's delivery loops finished as delivered for the trigger (its /metrics). */
async function deliveredBy(server: ServerProcess): Promise<number> {
  const text = (await api(server, 'GET', '/metrics')) as string;
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('cemesh_deliveries_total{') &&
        l.includes('trigger="all"') &&
        l.includes('outcome="delivered"'),
    );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function isReady(object: any): boolean {
  return (object?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** How many times the subscriber got each event whose id starts with `prefix`. */
function countsOf(subscriber: Subscriber, prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of subscriber.received) {
    const id = String(r.headers['ce-id']);
    if (id.startsWith(prefix)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** One CloudEvent in binary mode; resolves with the status, or rejects when the replica cannot be reached. */
async function send(pool: Pool, id: string): Promise<number> {
  const res = await pool.request({
    path: '/default/default',
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': '/cluster-test',
      'ce-type': 'cluster.test',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ id, pad: 'x'.repeat(500) }),
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
  });
  await res.body.dump();
  return res.statusCode;
}

/** Sends `count` events over the given ingresses in turn, `concurrency` at a time; every one must get 202. */
async function sendAll(
  pools: readonly Pool[],
  prefix: string,
  count: number,
  concurrency = 8,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const status = await send(pools[i % pools.length]!, `${prefix}${i}`);
        assert.equal(status, 202, `event ${prefix}${i}`);
      }
    }),
  );
}

/**
 * Sends probe events through one replica until one of them reaches the subscriber, so that replica routes
 * to the trigger; resolves with the ids of the probes that got a 202.
 */
async function untilRouted(pool: Pool, subscriber: Subscriber, prefix: string): Promise<string[]> {
  const acknowledged: string[] = [];
  const deadline = Date.now() + 30_000;
  for (let n = 0; Date.now() < deadline; n++) {
    if ((await send(pool, `${prefix}${n}`)) === 202) acknowledged.push(`${prefix}${n}`);
    for (let wait = 0; wait < 10; wait++) {
      if (countsOf(subscriber, prefix).size > 0) return acknowledged;
      await sleep(50);
    }
  }
  throw new Error(`no probe sent through ${prefix} was delivered within 30 s`);
}

describe(
  'jetstream cluster: two cemesh replicas on a 3-node NATS cluster',
  { skip, timeout: 115_000 },
  () => {
    let cluster: NatsCluster;
    let subscriber: Subscriber;
    let a: ServerProcess;
    let b: ServerProcess;
    let pools: Pool[] = [];
    const dirs: string[] = [];
    const replicas: ServerProcess[] = [];
    const logs: string[] = [];
    // A subscriber a little slow, so work piles up and both replicas take their share.
    let subscriberDelayMs = 3;

    const startReplica = async (): Promise<ServerProcess> => {
      const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-cluster-'));
      dirs.push(dataDir);
      const replica = await startServerProcess([
        '--backend',
        'jetstream',
        '--nats',
        cluster.urls.join(','),
        '--nats-replicas',
        '3',
        '--admin-token',
        TOKEN,
        '--data-dir',
        dataDir,
        '--log-level',
        'warn',
      ]);
      replicas.push(replica);
      const name = `replica ${replicas.length}`;
      replica.child.stderr?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line !== '') logs.push(`${name}: ${line}`);
        logs.splice(0, logs.length - 60);
      });
      return replica;
    };

    /** Runs a test body; when it fails, the replicas' last log lines go to the report. */
    const withLogs =
      (body: (t: TestContext) => Promise<void>) =>
      async (t: TestContext): Promise<void> => {
        try {
          await body(t);
        } catch (error) {
          t.diagnostic(`replica logs (warn and above):\n${logs.join('\n')}`);
          t.diagnostic(`NATS logs:\n${cluster.logs()}`);
          throw error;
        }
      };

    before(async () => {
      cluster = await startNatsCluster();
      subscriber = await startSubscriber(() => ({ status: 200, delayMs: subscriberDelayMs }));
      [a, b] = await Promise.all([startReplica(), startReplica()]);
      pools = [a, b].map((r) => new Pool(r.ingressUrl, { connections: 8 }));
    });

    after(async () => {
      await Promise.all(pools.map((p) => p.destroy()));
      await Promise.all(replicas.map((r) => r.kill()));
      await subscriber?.close();
      await cluster?.stop();
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    });

    test(
      'applying a trigger on replica 1 makes replica 2 deliver for it',
      withLogs(async (t) => {
        await api(a, 'POST', '/apis/eventing.knative.dev/v1/namespaces/default/brokers', {
          apiVersion: 'eventing.knative.dev/v1',
          kind: 'Broker',
          metadata: { name: 'default' },
        });
        await api(a, 'POST', '/apis/eventing.knative.dev/v1/namespaces/default/triggers', {
          apiVersion: 'eventing.knative.dev/v1',
          kind: 'Trigger',
          // Few deliveries in flight per replica, so neither can take all the work.
          metadata: { name: 'all', annotations: { 'eventing.cemesh.dev/max-inflight': '4' } },
          spec: { broker: 'default', subscriber: { uri: subscriber.url } },
        });
        await until('replica 2 shows the Trigger Ready', 30_000, async () =>
          isReady(await api(b, 'GET', TRIGGER_PATH)),
        );
        // Ready is written by whichever replica wired the trigger first; the other one routes to it a
        // moment later (docs/jetstream.md, "Limits of several replicas"). Probes show when each one does.
        const probes = [
          ...(await untilRouted(pools[0]!, subscriber, 'probe-1-')),
          ...(await untilRouted(pools[1]!, subscriber, 'probe-2-')),
        ];

        // A replica's first pull waits for its consumer, which a 3-node cluster may take seconds to create while
        // both replicas open the broker's streams (a request timing out meanwhile is retried): rounds of 100
        // events until replica 2 has delivered some, for at most 30 s.
        let byA = 0;
        let byB = 0;
        let rounds = 0;
        for (const deadline = Date.now() + 30_000; byB === 0 && Date.now() < deadline;) {
          const prefix = `apply-${++rounds}-`;
          await sendAll([pools[1]!, pools[0]!], prefix, 100);
          await until('every event delivered', 30_000, () => countsOf(subscriber, prefix).size === 100);
          [byA, byB] = await Promise.all([deliveredBy(a), deliveredBy(b)]);
        }
        const lost = probes.filter((id) => countsOf(subscriber, 'probe-').get(id) === undefined);
        t.diagnostic(
          `probes acknowledged ${probes.length}, not delivered ${lost.length}; ` +
            `events delivered by replica 1 ${byA}, by replica 2 ${byB}, in ${rounds} round(s) of 100`,
        );
        assert.ok(byB > 0, `replica 2 delivered ${byB} of ${rounds * 100} (replica 1: ${byA})`);
      }),
    );

    test(
      'any replica accepts ingress; each event is delivered once per trigger, not once per replica',
      withLogs(async (t) => {
        const [beforeA, beforeB] = await Promise.all([deliveredBy(a), deliveredBy(b)]);
        const count = 400;
        await sendAll(pools, 'warm-', count);
        await until('every event delivered', 30_000, () => countsOf(subscriber, 'warm-').size === count);
        await sleep(1_000); // time for a second delivery to show up, if there were one
        const counts = countsOf(subscriber, 'warm-');
        const deliveries = [...counts.values()].reduce((sum, n) => sum + n, 0);
        const [byA, byB] = await Promise.all([deliveredBy(a), deliveredBy(b)]);
        t.diagnostic(
          `sent ${count}, delivered ${counts.size} unique, duplicates ${deliveries - counts.size}, ` +
            `by replica 1 ${byA - beforeA}, by replica 2 ${byB - beforeB}`,
        );
        assert.equal(counts.size, count, 'events missing');
        assert.equal(deliveries, count, 'duplicates in the normal case');
        assert.equal(byA - beforeA + (byB - beforeB), count, 'deliveries counted by the replicas');
        assert.ok(byA > beforeA && byB > beforeB, 'both replicas share the delivery work');
      }),
    );

    test(
      'killing a replica and a NATS node mid-stream loses no acknowledged event',
      withLogs(async (t) => {
        const acknowledged = new Set<string>();
        const refused = new Map<string, number>();
        const refuse = (why: string): void => void refused.set(why, (refused.get(why) ?? 0) + 1);
        let ackedAfterKill = 0;
        let killed = false;
        let killedAt = 0;
        let backlog = 0;
        let stop = false;
        const [poolA, poolB] = pools as [Pool, Pool];

        // Half the senders start on replica 1; when it is gone they go on against replica 2, as a real sender
        // behind a load balancer would. An event that got no 202 is sent again (only 202s count).
        const sender = async (n: number): Promise<void> => {
          let pool = n % 2 === 0 ? poolA : poolB;
          for (let i = 0; !stop; i++) {
            const id = `fail-${n}-${i}`;
            for (let tries = 0; !stop && tries < 100; tries++) {
              let status: number;
              try {
                status = await send(pool, id);
              } catch {
                refuse('unreachable');
                pool = poolB;
                continue;
              }
              if (status === 202) {
                acknowledged.add(id);
                if (killed) ackedAfterKill++;
                break;
              }
              refuse(String(status));
              await sleep(100);
            }
          }
        };
        // Slower still, so a backlog builds and the replica dies holding deliveries it has not settled.
        subscriberDelayMs = 20;
        const senders = Array.from({ length: 8 }, (_, n) => sender(n));
        try {
          await until('events acknowledged before the kill', 30_000, () => acknowledged.size >= 600);
          const victim = await streamLeader(cluster);
          killed = true;
          killedAt = Date.now();
          await Promise.all([a.kill(), cluster.kill(victim)]);
          backlog = acknowledged.size - countsOf(subscriber, 'fail-').size;
          t.diagnostic(
            `killed replica 1 and NATS node ${victim} (the broker stream's leader), ${backlog} events undelivered`,
          );
          await until('events acknowledged after the kill', 45_000, () => ackedAfterKill >= 400);
        } finally {
          stop = true;
          await Promise.all(senders);
        }

        let missing: string[] = [];
        await until('every acknowledged event delivered', REDELIVERY_BOUND_MS, () => {
          const counts = countsOf(subscriber, 'fail-');
          missing = [...acknowledged].filter((id) => !counts.has(id));
          return missing.length === 0;
        }).catch(() => undefined);
        const settledAfter = Date.now() - killedAt;
        const counts = countsOf(subscriber, 'fail-');
        const deliveries = [...counts.values()].reduce((sum, n) => sum + n, 0);
        const delivered = [...acknowledged].filter((id) => counts.has(id)).length;
        t.diagnostic(
          `acknowledged ${acknowledged.size} (${ackedAfterKill} after the kill), refused ${JSON.stringify(Object.fromEntries(refused))}, ` +
            `delivered ${delivered}, deliveries ${deliveries}, duplicates ${deliveries - counts.size}; ` +
            `all delivered ${settledAfter} ms after the kill`,
        );
        assert.ok(backlog > 0, 'the kill came while deliveries were pending');
        assert.deepEqual(missing.slice(0, 20), [], `${missing.length} acknowledged events never arrived`);
      }),
    );
  },
);

/** The name of the NATS node that leads the broker's stream. */
async function streamLeader(cluster: NatsCluster): Promise<string> {
  const nc = await connect({ servers: [...cluster.urls] });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = brokerNames('cemesh', { namespace: 'default', name: 'default' }).stream;
    const info = await jsm.streams.info(stream);
    const leader = info.cluster?.leader;
    assert.ok(leader !== undefined, `stream ${stream} has no leader`);
    return leader;
  } finally {
    await nc.close();
  }
}
