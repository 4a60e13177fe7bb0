// What an idle trigger costs the data plane alone, and where: a `Mesh` on the memory backend in this
// process (no API, no store of resources, no reconciler), one broker, N triggers with exact `type` filters
// that nothing matches, wired the way the reconciler wires them. Reports the heap held per trigger after a
// full GC; with `snapshot`, broken down by object kind (bench/heap.ts). Compiled code differs from tsx's
// by the `name` property esbuild's keep-names adds to closures, so read the closure rows with that in mind.
// Standalone: node --expose-gc --import tsx bench/trigger-heap.ts [triggers] [snapshot]
import { silentLogger } from '../src/core/logger.js';
import type { TriggerWiring } from '../src/core/wiring.js';
import { createHttpSender } from '../src/dataplane/delivery/sender.js';
import { Mesh } from '../src/dataplane/mesh.js';
import { createMemoryBackend } from '../src/store/memory/index.js';
import { heapByKind, printHeapGrowth } from './heap.js';

const count = Number(process.argv[2] ?? 10_000);
const withSnapshot = process.argv[3] === 'snapshot';
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const backend = createMemoryBackend();
const sender = createHttpSender();
const mesh = new Mesh({ backend: () => Promise.resolve(backend), sender, logger: silentLogger });
await mesh.ensureBroker({ namespace: 'default', name: 'default', backend: 'memory', shards: 1 });

const wiring = (i: number): TriggerWiring => ({
  uid: `uid-${i}`,
  namespace: 'default',
  name: `t${i}`,
  broker: 'default',
  filter: { filters: [{ exact: { type: `bench.type.${i}` } }] },
  subscriberUri: 'http://127.0.0.1:9/',
  deadLetterUri: undefined,
  delivery: undefined,
  maxInflight: 100,
  deliveryOrder: 'unordered',
  paused: false,
});

const heapNow = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
// One trigger first, so that what is created once (code, shared objects) is not counted per trigger.
await mesh.ensureTrigger(wiring(-1));
await new Promise((resolve) => setTimeout(resolve, 10));
const before = heapNow();
const kindsBefore = withSnapshot ? await heapByKind() : undefined;
for (let i = 0; i < count; i++) await mesh.ensureTrigger(wiring(i));
await new Promise((resolve) => setTimeout(resolve, 10));
console.log(
  `data-plane heap per idle trigger: ${((heapNow() - before) / count / 1024).toFixed(2)} KB (${count} triggers)`,
);
if (kindsBefore !== undefined) printHeapGrowth(kindsBefore, await heapByKind(), count, 'trigger');
await mesh.close();
await backend.close();
await sender.close();
