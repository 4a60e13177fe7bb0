import { test } from 'node:test';
import { getEventListeners } from 'node:events';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../core/cloudevents/model.js';
import { MergedQueue } from './merged-queue.js';
import { createMemoryBackend } from './memory/index.js';
import type { DeliveryQueue, Lease } from './contracts.js';

const event = (id: string): CloudEvent => ({
  attributes: { specversion: '1.0', id, source: '/merged', type: 'com.example' },
});

async function parts(count: number, perPart: number) {
  const backend = createMemoryBackend();
  const stores = await Promise.all(
    Array.from({ length: count }, (_, i) => backend.broker({ namespace: 'm', name: `p${i}` })),
  );
  for (const [i, store] of stores.entries()) {
    await store.append(
      Array.from({ length: perPart }, (_, j) => ({ event: event(`${i}-${j}`), queues: ['q'] })),
    );
  }
  return { backend, queues: stores.map((s) => s.queue('q')) };
}

const lease = (queue: DeliveryQueue, max: number, signal = new AbortController().signal) =>
  queue.lease({ max, leaseMs: 60_000, signal });
const ids = (leases: Lease[]) => leases.map((l) => String(l.event.attributes['id']));

test('hands out every delivery of every part once, taking the parts in turn', async () => {
  const { backend, queues } = await parts(3, 4);
  const merged = new MergedQueue(queues);
  const seen: string[] = [];
  const firstParts: string[] = [];
  while (seen.length < 12) {
    const got = await lease(merged, 2);
    assert.ok(got.length >= 1 && got.length <= 2);
    firstParts.push(ids(got)[0]?.split('-')[0] ?? '');
    for (const l of got) await l.ack();
    seen.push(...ids(got));
  }
  assert.equal(new Set(seen).size, 12);
  assert.deepEqual(firstParts.slice(0, 3).sort(), ['0', '1', '2'], 'no part starved');
  await backend.close();
});

test('a waiting lease is answered by whichever part gets a delivery first', async () => {
  const { backend, queues } = await parts(3, 0);
  const merged = new MergedQueue(queues);
  const waiting = lease(merged, 10);
  const store = await backend.broker({ namespace: 'm', name: 'p2' });
  await store.append([{ event: event('late'), queues: ['q'] }]);
  assert.deepEqual(ids(await waiting), ['late']);
  await backend.close();
});

test('an aborted lease resolves empty; backlogs add up', async () => {
  const { backend, queues } = await parts(2, 3);
  const merged = new MergedQueue(queues);
  const controller = new AbortController();
  controller.abort();
  assert.deepEqual(await lease(merged, 5, controller.signal), []);
  assert.equal(merged.backlog()?.depth, 6);
  await backend.close();
});

test('a part that fails fails the lease; what the others handed out is answered by the next one', async () => {
  const { backend, queues } = await parts(1, 2);
  let fail = true;
  const flaky: DeliveryQueue = {
    lease: (options) =>
      fail ? Promise.reject(new Error('shard down')) : (queues[0] as DeliveryQueue).lease(options),
  };
  const merged = new MergedQueue([flaky, ...queues]);
  await assert.rejects(lease(merged, 5), /shard down/);
  fail = false;
  assert.deepEqual(ids(await lease(merged, 5)).sort(), ['0-0', '0-1']);
  await backend.close();
});

test('leases kept for a next call go back to their part when the caller stops', async () => {
  const { backend, queues } = await parts(2, 1);
  const merged = new MergedQueue(queues);
  const controller = new AbortController();
  const first = await lease(merged, 1, controller.signal);
  assert.equal(first.length, 1);
  controller.abort();
  await new Promise((resolve) => setImmediate(resolve));
  const again = await lease(new MergedQueue(queues), 5);
  assert.equal(again.length, 1, "the other part's delivery is due again at once");
  assert.notEqual(ids(again)[0], ids(first)[0]);
  await backend.close();
});

test("the caller's loop signal keeps no listener per lease", async () => {
  const { backend, queues } = await parts(2, 200);
  const merged = new MergedQueue(queues);
  const loop = new AbortController();
  let delivered = 0;
  while (delivered < 400) {
    const got = await lease(merged, 3, loop.signal);
    for (const l of got) await l.ack();
    delivered += got.length;
  }
  // One listener, the hand-back of spare leases (once per caller signal); none per lease. (AbortSignal.any
  // kept a record of every call on `loop` too, where no listener count shows it: lint refuses it in src/.)
  assert.equal(getEventListeners(loop.signal, 'abort').length, 1);
  await backend.close();
});
