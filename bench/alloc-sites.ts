// Where the server's bytes per event are allocated (S2's p99 is set by how often the young generation is
// collected, so by bytes allocated per event). One cemesh server in this process (memory backend unless
// named; jetstream starts a nats-server of its own), one broker and one catch-all trigger to a subscriber in
// a child process; the load generator is a child process too, so what is sampled is the server's own work.
// V8's sampling heap profiler runs with objects that die young included, and the samples are summed by
// allocating function and by file.
// Standalone: node --import tsx bench/alloc-sites.ts [events] [memory|embedded|jetstream] [top]; compiled
// (`npx tsc -p tsconfig.bench.json`, then node dist/bench/alloc-sites.js) for line numbers that match the source.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInProcess } from './in-process.js';
import { printAllocations, sampleAllocations } from './sampled-allocations.js';
import type { LoadResult } from './loadgen.js';
import { forkRpc } from './rpc.js';
import type { SubscriberStats } from './subscriber.js';
import { startNatsServer } from '../test/support/nats.js';

const events = Number(process.argv[2] ?? 20_000);
const backend = (process.argv[3] ?? 'memory') as 'memory' | 'embedded' | 'jetstream';
const top = Number(process.argv[4] ?? 40);

// Compiled (dist/bench), the children run compiled too, as in `npm run bench`.
const here = fileURLToPath(import.meta.url);
const children = here.endsWith('.js') ? { compiledDir: dirname(here) } : {};
const [loadgen, subscribers] = await Promise.all([
  forkRpc('loadgen', children),
  forkRpc('subscriber', children),
]);
const nats = backend === 'jetstream' ? await startNatsServer() : undefined;
const mesh = await startInProcess('alloc', { backend, ...(nats ? { nats: nats.url } : {}) });
const subscriber = await subscribers.call<{ name: string; url: string }>('listen', {});
const GROUP = '/apis/eventing.knative.dev/v1/namespaces/default';
await mesh.api('POST', `${GROUP}/brokers`, {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'alloc', namespace: 'default' },
});
await mesh.api('POST', `${GROUP}/triggers`, {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Trigger',
  metadata: { name: 'all', namespace: 'default' },
  spec: { broker: 'alloc', subscriber: { uri: subscriber.url } },
});
await mesh.settle();

async function send(count: number, idPrefix: string): Promise<void> {
  await subscribers.call('reset', { name: subscriber.name });
  const load = await loadgen.call<LoadResult>('run', {
    target: `${mesh.server.ingressUrl}/default/alloc`,
    mode: 'rate',
    rate: 1000,
    count,
    durationMs: count,
    concurrency: 16,
    types: 1,
    idPrefix,
  });
  for (;;) {
    const stats = await subscribers.call<SubscriberStats>('stats', { name: subscriber.name });
    if (stats.count >= load.accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

await send(Math.min(5000, events), 'warm');
const allocations = await sampleAllocations(() => send(events, 'sampled'));
console.log(
  `${events} events at 1,000/s on ${backend}: ${(allocations.total / events).toFixed(0).padStart(6)} B allocated per event (sampled)`,
);
printAllocations(allocations, events, top);

await mesh.stop();
await nats?.dispose();
await Promise.all([loadgen.close(), subscribers.close()]);
