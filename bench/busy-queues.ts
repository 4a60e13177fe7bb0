// What a busy delivery queue costs the store and the delivery loop, one queue against many: the memory
// backend and the real Dispatcher, in process, with events spread round-robin over N queues (S4 keeps 100
// busy where S1 keeps one). Each handler acks after a setImmediate (a subscriber's answer arrives in a later
// turn), 64 appends of one event are in flight (the load generator's shape). CPU per event, the shapes in
// alternating rounds.
// Standalone: node --import tsx bench/busy-queues.ts [events per round] [rounds]
import { pathToFileURL } from 'node:url';
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import { Dispatcher } from '../src/dataplane/delivery/dispatcher.js';
import { createMemoryBackend } from '../src/store/memory/index.js';
import { median } from './paired.js';

const IN_FLIGHT = 64;
const DATA = new TextEncoder().encode(JSON.stringify({ pad: 'x'.repeat(1000) }));

function eventOf(i: number): CloudEvent {
  return {
    attributes: { specversion: '1.0', id: `e-${i}`, source: '/bench', type: 'bench.busy' },
    data: DATA,
  };
}

/** CPU microseconds per event for `events` events spread over `queues` busy queues. */
export async function measureBusyQueues(queues: number, events: number): Promise<number> {
  const backend = createMemoryBackend({ retainEvents: 0 });
  const store = await backend.broker({ namespace: 'bench', name: `busy-${queues}` });
  const ids = Array.from({ length: queues }, (_, i) => `q${i}`);
  let delivered = 0;
  let allDelivered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDelivered = resolve));
  const loops = ids.map(
    (id) =>
      new Dispatcher({
        queue: store.queue(id),
        handle: (lease) =>
          new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
            await lease.ack();
            if (++delivered === events) allDelivered();
          }),
        maxInflight: () => 100,
        leaseMs: () => 30_000,
        onError: (error) => {
          throw error;
        },
      }),
  );
  for (const loop of loops) loop.start();
  const started = process.cpuUsage();
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < events) {
      const i = next++;
      await store.append([{ event: eventOf(i), queues: [ids[i % queues]!] }]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
  await done;
  const used = process.cpuUsage(started);
  await Promise.all(loops.map((loop) => loop.stop(1_000)));
  await backend.close();
  return (used.user + used.system) / events;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 200_000);
  const rounds = Number(process.argv[3] ?? 5);
  const shapes = [1, 100];
  await measureBusyQueues(1, 20_000);
  await measureBusyQueues(100, 20_000);
  const results = new Map<number, number[]>(shapes.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const n of round % 2 === 0 ? shapes : [...shapes].reverse())
      results.get(n)!.push(await measureBusyQueues(n, events));
  }
  for (const [n, us] of results) {
    console.log(
      `${String(n).padStart(3)} busy queue(s): median ${median(us).toFixed(2)} us CPU an event ` +
        `(${us.map((u) => u.toFixed(2)).join(' ')})`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
