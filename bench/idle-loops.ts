// What an idle trigger's delivery loop costs: 10,000 Dispatchers on empty memory-backend queues, started,
// then stopped, as applying and deleting 10,000 triggers does. "leasing" hides the queue's whenWork (every
// loop waits in lease from the start, as before loops started at the first delivery), "whenWork" is the
// queue as the backend gives it. Rounds alternate; heap per loop after a full GC with --expose-gc.
// Standalone: node --expose-gc --import tsx bench/idle-loops.ts [rounds] [loops]
import { Dispatcher } from '../src/dataplane/delivery/dispatcher.js';
import type { DeliveryQueue } from '../src/store/contracts.js';
import { createMemoryBackend } from '../src/store/memory/index.js';

const rounds = Number(process.argv[2] ?? 4);
const loops = Number(process.argv[3] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

async function measure(mode: 'leasing' | 'whenWork'): Promise<string> {
  const backend = createMemoryBackend();
  const store = await backend.broker({ namespace: 'bench', name: `b-${mode}` });
  const queues: DeliveryQueue[] = [];
  for (let i = 0; i < loops; i++) {
    const queue = store.queue(`t${i}`);
    queues.push(mode === 'whenWork' ? queue : { lease: (options) => queue.lease(options) });
  }
  const before = heapUsed();
  let started = performance.now();
  const dispatchers = queues.map((queue) => {
    const dispatcher = new Dispatcher({
      queue,
      handle: (lease) => lease.ack(),
      maxInflight: () => 100,
      leaseMs: () => 30_000,
      onError: () => undefined,
    });
    dispatcher.start();
    return dispatcher;
  });
  await new Promise((resolve) => setImmediate(resolve));
  const startUs = ((performance.now() - started) * 1000) / loops;
  const heapPerLoop = (heapUsed() - before) / loops;
  started = performance.now();
  await Promise.all(dispatchers.map((d) => d.stop(1000)));
  const stopUs = ((performance.now() - started) * 1000) / loops;
  await backend.close();
  return (
    `${mode}: start ${startUs.toFixed(2)} us, stop ${stopUs.toFixed(2)} us a loop` +
    (gc === undefined ? '' : `, heap ${(heapPerLoop / 1024).toFixed(2)} KB a loop`)
  );
}

for (let round = 1; round <= rounds; round++) {
  console.log(`round ${round}: ${await measure('leasing')}; ${await measure('whenWork')}`);
}
