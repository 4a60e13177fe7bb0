// What a queued event costs in memory, and where (issue 20's S5 goal: a 100k backlog under 300 MB RSS).
// One cemesh server in this process on the memory backend, one broker with one paused trigger; N bench
// events (1 KiB binary mode, the S1 event) are posted, then the heap is measured after a full GC and
// compared to before. With `snapshot`, two heap snapshots are taken and the growth is broken down by
// object kind (V8 constructor or internal type), which is what decides where the bytes go.
// With `drain`, a subscriber process then comes up and the trigger is resumed: the RSS and old-space size are
// sampled until every event is delivered, which shows whether the high mark is set by the backlog or the drain.
// The drain also takes, by environment: HEAP_PROFILE=1 (a sampling heap profile of what dies in full GCs;
// HEAP_PROFILE_ALL=1 adds what dies young; sampled objects are kept alive longer, so read it with care) and
// HEAP_LATENCY=1 (the Knative dispatch-latency buckets afterwards).
// Standalone: node --expose-gc --import tsx bench/backlog-heap.ts [events] [snapshot|drain] [max-inflight]
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { heapByKind, printHeapGrowth } from './heap.js';
import { startInProcess } from './in-process.js';
import { fork } from 'node:child_process';
import { Pool, request } from 'undici';
import { eventBody, eventHeaders, now } from './events.js';

const events = Number(process.argv[2] ?? 50_000);
const withSnapshot = process.argv[3] === 'snapshot';
const withDrain = process.argv[3] === 'drain';
const maxInflight = process.argv[4] ?? '100';
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const mesh = await startInProcess('heap');
const { server, api } = mesh;

const GROUP = '/apis/eventing.knative.dev/v1/namespaces/default';
await api('POST', `${GROUP}/brokers`, {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'heap', namespace: 'default' },
});
await api('POST', `${GROUP}/triggers`, held(true, 'http://127.0.0.1:9/'));
await new Promise((resolve) => setTimeout(resolve, 50));
await server.reconciler.idle();

const pool = new Pool(server.ingressUrl, { connections: 16 });
const body = eventBody();

async function send(from: number, to: number, prefix: string): Promise<void> {
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const n = next++;
      const res = await pool.request({
        method: 'POST',
        path: '/default/heap',
        headers: eventHeaders(prefix, n, 'bench.event', now()),
        body,
      });
      await res.body.dump();
      if (res.statusCode !== 202) throw new Error(`ingress answered ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

interface Usage {
  readonly heap: number;
  readonly external: number;
  readonly rss: number;
}

function usage(): Usage {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external, rss: m.rss };
}

function held(paused: boolean, uri: string): unknown {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: {
      name: 'held',
      namespace: 'default',
      annotations: {
        'eventing.cemesh.dev/paused': String(paused),
        'eventing.cemesh.dev/max-inflight': maxInflight,
      },
    },
    spec: { broker: 'heap', subscriber: { uri } },
  };
}

const SUBSCRIBER = `
const http = require('node:http');
let count = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { count++; res.writeHead(200).end(); });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
setInterval(() => process.send({ count }), 100);
process.on('disconnect', () => process.exit(0));
`;

/** Resumes the trigger towards a subscriber process and samples memory until `expected` are delivered. */
async function drain(): Promise<void> {
  const expected = events + 2_000;
  const child = fork('-e', [SUBSCRIBER], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let delivered = 0;
  const port = await new Promise<number>((resolve) =>
    child.on('message', (m: { port?: number; count?: number }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.count !== undefined) delivered = m.count;
    }),
  );
  const mb = (n: number): number => Math.round(n / 2 ** 20);
  let peakRss = 0;
  let peakOld = 0;
  const started = performance.now();
  const profiler = process.env['HEAP_PROFILE'] === '1' ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    // Objects that outlive a scavenge and die in old space: what grows the heap during the drain.
    await profiler.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: process.env['HEAP_PROFILE_ALL'] === '1',
    });
  }
  await api('PUT', `${GROUP}/triggers/held`, held(false, `http://127.0.0.1:${port}/`));
  let lastPrint = 0;
  while (delivered < expected) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { rss, heapTotal, external } = process.memoryUsage();
    const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0;
    peakRss = Math.max(peakRss, rss);
    peakOld = Math.max(peakOld, old);
    if (performance.now() - lastPrint > 1000) {
      lastPrint = performance.now();
      console.log(
        `  drain: ${delivered} delivered, RSS ${mb(rss)} MB, heap ${mb(heapTotal)} MB ` +
          `(old space ${mb(old)} MB), external ${mb(external)} MB`,
      );
    }
  }
  const drainS = (performance.now() - started) / 1000;
  if (profiler) printProfile((await profiler.post('HeapProfiler.stopSampling')).profile);
  console.log(
    `drained ${delivered} in ${drainS.toFixed(1)} s (${Math.round(delivered / drainS)}/s); ` +
      `peak RSS ${mb(peakRss)} MB, peak old space ${mb(peakOld)} MB`,
  );
  child.disconnect();
  if (process.env['HEAP_LATENCY'] === '1') {
    const res = await request(`${server.adminUrl}/metrics`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const text = await res.body.text();
    console.log(
      text
        .split('\n')
        .filter(
          (l) =>
            l.startsWith('mt_broker_filter_event_dispatch_latencies_bucket') ||
            l.includes('dispatch_latencies_count'),
        )
        .join('\n'),
    );
  }
  const settled = usage();
  console.log(
    `after the drain and a full GC: heap ${mb(settled.heap)} MB (${mb(before.heap)} MB before the backlog), ` +
      `RSS ${mb(settled.rss)} MB`,
  );
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Sampled bytes by allocating function (with its caller), largest first. */
function printProfile(profile: { head: ProfileNode }): void {
  const bytes = new Map<string, number>();
  const walk = (node: ProfileNode, caller: string): void => {
    const frame = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    if (node.selfSize > 0) {
      const key = `${frame}  <- ${caller}`;
      bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, frame);
  };
  walk(profile.head, '');
  const rows = [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [key, size] of rows) console.log(`${(size / 2 ** 20).toFixed(1).padStart(7)} MB  ${key}`);
}

// Warm up every path (codec, routing, store) so that the growth measured below is the backlog alone.
await send(0, 2_000, 'warm');
const before = usage();
const kindsBefore = withSnapshot ? await heapByKind() : undefined;
const started = performance.now();
await send(0, events, 'heap');
const sendS = (performance.now() - started) / 1000;
const after = usage();
const perEvent = (a: number, b: number): number => Math.round((b - a) / events);
console.log(
  `${events} events queued in ${sendS.toFixed(1)} s; per queued event: heap ${perEvent(before.heap, after.heap)} B, ` +
    `external ${perEvent(before.external, after.external)} B, RSS ${perEvent(before.rss, after.rss)} B ` +
    `(body ${body.length} B); RSS ${Math.round(after.rss / 2 ** 20)} MB`,
);
if (kindsBefore !== undefined) printHeapGrowth(kindsBefore, await heapByKind(), events, 'event');
if (withDrain) await drain();
await pool.close();
await mesh.stop();
