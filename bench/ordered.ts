// Ordered delivery throughput against unordered, in the same run (issue 21's goal: ordered at least 0.5x).
// One cemesh server in this process (built from source), a local HTTP subscriber answering 200, one
// trigger per run. The trigger is created paused, N events over K partition keys are queued in batches of
// 100, then it is resumed and the time until the subscriber got all N is measured: delivery throughput
// alone, without ingress. Runs alternate unordered/ordered so that load from other work hits both alike.
// Standalone: node --import tsx bench/ordered.ts [events] [keys] [rounds] [backend]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { silentLogger } from '../src/core/logger.js';
import { parseServerConfig } from '../src/server/config.js';
import { startServer } from '../src/server/server.js';

const events = Number(process.argv[2] ?? 20_000);
const keys = Number(process.argv[3] ?? 100);
const rounds = Number(process.argv[4] ?? 3);
const backend = (process.argv[5] ?? 'memory') as 'memory' | 'embedded';

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

const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-bench-ordered-'));
const server = await startServer(
  parseServerConfig({ port: 0, adminPort: 0, gatewayPort: 0, dataDir, backend }, {}),
  silentLogger,
);

async function api(method: string, path: string, body?: unknown): Promise<void> {
  const res = await request(`${server.adminUrl}${path}`, {
    method: method as 'PUT',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
}

const TRIGGERS = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';
await api('POST', '/apis/eventing.knative.dev/v1/namespaces/default/brokers', {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'bench', namespace: 'default' },
});
await settle();

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  await server.reconciler.idle();
}

function triggerObject(name: string, order: string, paused: boolean): unknown {
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
    spec: { broker: 'bench', subscriber: { uri: subscriberUrl } },
  };
}

async function run(order: 'ordered' | 'unordered', round: number): Promise<number> {
  const name = `${order}-${round}`;
  await api('POST', TRIGGERS, triggerObject(name, order, true));
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
    const res = await request(`${server.ingressUrl}/default/bench`, {
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
  await api('PUT', `${TRIGGERS}/${name}`, triggerObject(name, order, false));
  await done;
  const seconds = (performance.now() - started) / 1000;
  onReceived = undefined;
  await api('DELETE', `${TRIGGERS}/${name}`);
  await settle();
  return events / seconds;
}

const rates: Record<'ordered' | 'unordered', number[]> = { ordered: [], unordered: [] };
for (let round = 0; round < rounds; round++) {
  for (const order of ['unordered', 'ordered'] as const) {
    const rate = await run(order, round);
    rates[order].push(rate);
    process.stderr.write(`${backend} ${order} round ${round + 1}: ${Math.round(rate)} events/s\n`);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ordered = median(rates.ordered);
const unordered = median(rates.unordered);
console.log(
  JSON.stringify({
    backend,
    events,
    keys,
    rounds,
    unorderedEventsPerSec: Math.round(unordered),
    orderedEventsPerSec: Math.round(ordered),
    ratio: Number((ordered / unordered).toFixed(2)),
  }),
);
await server.close();
subscriber.closeAllConnections();
subscriber.close();
await rm(dataDir, { recursive: true, force: true });
