// Delivery loops sharing their origin's slots (slots.ts), over the memory backend with deliveries held
// open until the test ends them.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { createMemoryBackend } from '../../store/memory/index.js';
import type { BrokerStore, DeliveryQueue, Lease } from '../../store/contracts.js';
import { Dispatcher } from './dispatcher.js';
import { OriginSlots } from './slots.js';

const event = (id: string): CloudEvent => ({
  attributes: { specversion: '1.0', id, source: '/t', type: 't' },
});

/** Lets every pending lease and settlement run (the memory backend answers on microtasks and timers 0). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

async function brokerWith(t: TestContext, queues: Record<string, number>): Promise<BrokerStore> {
  const backend = createMemoryBackend();
  t.after(() => backend.close());
  const store = await backend.broker({ namespace: 'n', name: 'b' });
  for (const [queue, count] of Object.entries(queues)) {
    await store.append(
      Array.from({ length: count }, (_, i) => ({ event: event(`${queue}-${i}`), queues: [queue] })),
    );
  }
  return store;
}

/** A loop whose deliveries stay in flight until `finish` acks them, oldest first. */
function heldLoop(
  store: BrokerStore,
  queue: string,
  slots: () => OriginSlots | undefined,
): { loop: Dispatcher; held: Lease[]; finish(count: number): Promise<void> } {
  const held: Lease[] = [];
  const ends: (() => void)[] = [];
  const loop = new Dispatcher({
    queue: store.queue(queue),
    handle: (lease) =>
      new Promise<void>((resolve) => {
        held.push(lease);
        ends.push(() => void lease.ack().then(resolve));
      }),
    maxInflight: () => 100,
    leaseMs: () => 30_000,
    onError: (error) => assert.fail(String(error)),
    slots,
  });
  return {
    loop,
    held,
    async finish(count) {
      for (const end of ends.splice(0, count)) end();
      await settle();
    },
  };
}

test('loops sharing an origin keep about its limit in flight, and each goes on while the origin is full', async (t) => {
  const store = await brokerWith(t, { a: 20, b: 20 });
  const slots = new OriginSlots(3);
  const a = heldLoop(store, 'a', () => slots);
  const b = heldLoop(store, 'b', () => slots);
  a.loop.start();
  await settle();
  b.loop.start();
  await settle();
  // `a` took the origin's three; `b`, with nothing in flight, still got one.
  assert.deepEqual([a.loop.inFlight, b.loop.inFlight, slots.inUse], [3, 1, 4]);
  let most = slots.inUse;
  while (a.held.length + b.held.length < 40) {
    await a.finish(1);
    await b.finish(1);
    most = Math.max(most, slots.inUse);
    assert.equal(slots.inUse, a.loop.inFlight + b.loop.inFlight);
  }
  // Never more than the limit plus one per loop.
  assert.ok(most <= 5, `${most} in flight`);
  await a.finish(100);
  await b.finish(100);
  assert.equal(slots.inUse, 0);
  await Promise.all([a.loop.stop(100), b.loop.stop(100)]);
});

test('a loop whose destination moved counts its deliveries at the new origin', async (t) => {
  const store = await brokerWith(t, { a: 10 });
  const first = new OriginSlots(100);
  const second = new OriginSlots(100);
  let current = first;
  const a = heldLoop(store, 'a', () => current);
  a.loop.start();
  await settle();
  assert.deepEqual([first.inUse, second.inUse], [10, 0]);
  current = second;
  // The loop waits for work; once it comes, the loop looks its origin up again on its way back to the queue,
  // bringing its deliveries along.
  await store.append([{ event: event('late'), queues: ['a'] }]);
  await settle();
  assert.deepEqual([first.inUse, second.inUse], [0, 11]);
  await a.finish(1);
  assert.deepEqual([first.inUse, second.inUse], [0, 10]);
  await a.finish(100);
  assert.deepEqual([first.inUse, second.inUse], [0, 0]);
  await a.loop.stop(100);
});

test('without shared slots a loop is bounded by its own window alone', async (t) => {
  const store = await brokerWith(t, { a: 150 });
  const a = heldLoop(store, 'a', () => undefined);
  a.loop.start();
  await settle();
  assert.equal(a.loop.inFlight, 100);
  await a.finish(100);
  assert.equal(a.loop.inFlight, 50);
  await a.finish(100);
  await a.loop.stop(100);
});

/** A loop that acks each delivery and records its event's id. */
function recordingLoop(queue: DeliveryQueue): { loop: Dispatcher; delivered: string[] } {
  const delivered: string[] = [];
  const loop = new Dispatcher({
    queue,
    handle: async (lease) => {
      delivered.push(String(lease.event.attributes.id));
      await lease.ack();
    },
    maxInflight: () => 10,
    leaseMs: () => 30_000,
    onError: (error) => assert.fail(String(error)),
  });
  return { loop, delivered };
}

test('on a queue that says when it has work, the loop leases nothing until the first delivery', async (t) => {
  const store = await brokerWith(t, {});
  const queue = store.queue('idle');
  let leaseCalls = 0;
  const { loop, delivered } = recordingLoop({
    ...queue,
    lease: (options) => {
      leaseCalls++;
      return queue.lease(options);
    },
  });
  loop.start();
  await settle();
  assert.equal(leaseCalls, 0, 'no lease waits on an empty queue');
  await store.append([{ event: event('first'), queues: ['idle'] }]);
  await settle();
  assert.deepEqual(delivered, ['first']);
  assert.ok(leaseCalls >= 1);
  await loop.stop(1000);
});

test('a loop stopped before its queue had work never starts, and leaves later deliveries queued', async (t) => {
  const store = await brokerWith(t, {});
  const { loop, delivered } = recordingLoop(store.queue('later'));
  loop.start();
  await loop.stop(1000);
  await store.append([{ event: event('after-stop'), queues: ['later'] }]);
  await settle();
  assert.deepEqual(delivered, []);
  assert.equal(store.queue('later').backlog?.()?.depth, 1);
});
