// Ordered delivery throughput against unordered, in the same run (issue 21's goal: ordered at least 0.5x).
// One cemesh server in this process (built from source), a local HTTP subscriber answering 200, one
// trigger per run. The trigger is created paused, N events over K partition keys are queued in batches of
// 100, then it is resumed and the time until the subscriber got all N is measured: delivery throughput
// alone, without ingress. Runs alternate unordered/ordered so that load from other work hits both alike.
// Standalone: node --import tsx bench/ordered.ts [events] [keys] [rounds] [backend] [shards] [nats]
//   backend: memory | embedded | jetstream; shards: a comma list of shard counts, one broker each, measured
//   in the same run (jetstream, e.g. 1,4); nats: `single` (one nats-server, default) or `cluster` (3 nodes on
//   this machine, streams with 3 replicas).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startNatsServer } from '../test/support/nats.js';
import { startNatsCluster } from '../test/support/nats-cluster.js';
import { startInProcess } from './in-process.js';

const events = Number(process.argv[2] ?? 20_000);
const keys = Number(process.argv[3] ?? 100);
const rounds = Number(process.argv[4] ?? 3);
const backend = (process.argv[5] ?? 'memory') as 'memory' | 'embedded' | 'jetstream';
const shardCounts = (process.argv[6] ?? '1').split(',').map(Number);
const natsMode = process.argv[7] === 'cluster' ? 'cluster' : 'single';
const nats =
  backend !== 'jetstream'
    ? undefined
    : natsMode === 'cluster'
      ? await startNatsCluster()
      : await startNatsServer();
const natsFlags =
  nats === undefined
    ? {}
    : 'urls' in nats
      ? { nats: nats.urls.join(','), natsReplicas: 3 }
      : { nats: nats.url };

let received = 0;
let onReceived: (() => void) | undefined;
const subscriber = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(200).end();
    onReceived?.();
  });
});
await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
const subscriberUrl = `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/`;

const mesh = await startInProcess('ordered', { backend, ...natsFlags });
const { server, api, settle } = mesh;

const TRIGGERS = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';
const brokerName = (shards: number): string => `bench-s${shards}`;
for (const shards of shardCounts) {
  await api('POST', '/apis/eventing.knative.dev/v1/namespaces/default/brokers', {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: {
      name: brokerName(shards),
      namespace: 'default',
      annotations: { 'eventing.cemesh.dev/shards': String(shards) },
    },
  });
}
await settle();

function triggerObject(name: string, order: string, paused: boolean, broker: string): unknown {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'kafka.eventing.knative.dev/delivery.order': order,
        'eventing.cemesh.dev/paused': String(paused),
        'eventing.cemesh.dev/max-inflight': '100',
      },
    },
    spec: { broker, subscriber: { uri: subscriberUrl } },
  };
}

async function run(order: 'ordered' | 'unordered', round: number, shards: number): Promise<number> {
  const name = `${order}-${round}-s${shards}`;
  const broker = brokerName(shards);
  await api('POST', TRIGGERS, triggerObject(name, order, true, broker));
  await settle();
  for (let start = 0; start < events; start += 100) {
    const batch = [];
    for (let i = start; i < Math.min(events, start + 100); i++) {
      batch.push({
        specversion: '1.0',
        id: `${name}-${i}`,
        source: '/bench',
        type: 'dev.cemesh.bench',
        partitionkey: `k${i % keys}`,
        data: { i },
      });
    }
    const res = await request(`${server.ingressUrl}/default/${broker}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(batch),
    });
    await res.body.text();
    if (res.statusCode !== 202) throw new Error(`ingress answered ${res.statusCode}`);
  }
  received = 0;
  const done = new Promise<void>((resolve) => {
    onReceived = () => {
      if (received >= events) resolve();
    };
  });
  const started = performance.now();
  await api('PUT', `${TRIGGERS}/${name}`, triggerObject(name, order, false, broker));
  await done;
  const seconds = (performance.now() - started) / 1000;
  onReceived = undefined;
  await api('DELETE', `${TRIGGERS}/${name}`);
  await settle();
  return events / seconds;
}

const rates = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const shards of shardCounts) {
    for (const order of ['unordered', 'ordered'] as const) {
      const rate = await run(order, round, shards);
      const key = `${order} shards=${shards}`;
      rates.set(key, [...(rates.get(key) ?? []), rate]);
      process.stderr.write(`${backend} ${key} round ${round + 1}: ${Math.round(rate)} events/s\n`);
    }
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rateOf = (key: string): number => median(rates.get(key) ?? []);
for (const shards of shardCounts) {
  const ordered = rateOf(`ordered shards=${shards}`);
  const unordered = rateOf(`unordered shards=${shards}`);
  const base = rateOf(`unordered shards=${shardCounts[0]}`);
  const baseOrdered = rateOf(`ordered shards=${shardCounts[0]}`);
  console.log(
    JSON.stringify({
      backend,
      nats: backend === 'jetstream' ? natsMode : undefined,
      shards,
      events,
      keys,
      rounds,
      unorderedEventsPerSec: Math.round(unordered),
      orderedEventsPerSec: Math.round(ordered),
      ratio: Number((ordered / unordered).toFixed(2)),
      unorderedVsFirstShards: Number((unordered / base).toFixed(2)),
      orderedVsFirstShards: Number((ordered / baseOrdered).toFixed(2)),
    }),
  );
}
await mesh.stop();
subscriber.closeAllConnections();
subscriber.close();
if (nats !== undefined) await ('urls' in nats ? nats.stop() : nats.dispose());
