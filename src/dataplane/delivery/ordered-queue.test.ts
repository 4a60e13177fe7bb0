// The ordering layer's own rules, over the memory backend: what it hands out, when, with which attempt.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { createMemoryBackend } from '../../store/memory/index.js';
import type { BrokerStore, Lease } from '../../store/contracts.js';
import { OrderedQueue } from './ordered-queue.js';

function event(id: string, key?: string): CloudEvent {
  const attributes: Record<string, string> = { specversion: '1.0', id, source: '/t', type: 't' };
  if (key !== undefined) attributes['partitionkey'] = key;
  return { attributes };
}

/** The ordering layer over a memory broker holding `events`; closed (backend too) after the test. */
async function setup(
  t: TestContext,
  events: CloudEvent[],
): Promise<{ store: BrokerStore; ordered: OrderedQueue }> {
  const backend = createMemoryBackend();
  const store = await backend.broker({ namespace: 'n', name: 'b' });
  await store.append(events.map((e) => ({ event: e, queues: ['q'] })));
  const ordered = new OrderedQueue({
    queue: store.queue('q'),
    window: () => 100,
    onError: (error) => assert.fail(String(error)),
  });
  t.after(async () => {
    await ordered.close();
    await backend.close();
  });
  return { store, ordered };
}

async function take(ordered: OrderedQueue, leaseMs = 30_000, waitMs = 100): Promise<Lease[]> {
  const signal = AbortSignal.timeout(waitMs);
  return ordered.lease({ max: 100, leaseMs, signal });
}

const ids = (leases: Lease[]): string[] => leases.map((l) => String(l.event.attributes['id']));

test('only the oldest unsettled event of each key is handed out; keyless events each go at once', async (t) => {
  const { ordered } = await setup(t, [
    event('a1', 'a'),
    event('b1', 'b'),
    event('a2', 'a'),
    event('x'),
    event('y'),
  ]);
  const first = await take(ordered);
  assert.deepEqual(ids(first), ['a1', 'b1', 'x', 'y']);
  assert.deepEqual(await take(ordered), [], 'a2 waits for a1');
  await first[0]!.ack();
  assert.deepEqual(ids(await take(ordered)), ['a2']);
  await ordered.close();
});

test('a nak keeps the key blocked and hands the same event out again after the delay, attempt + 1', async (t) => {
  const { ordered } = await setup(t, [event('a1', 'a'), event('a2', 'a'), event('b1', 'b')]);
  const [a1, b1] = await take(ordered);
  assert.equal(a1!.attempt, 1);
  await a1!.nak(30);
  await b1!.ack();
  const again = await take(ordered, 30_000, 1_000);
  assert.deepEqual(ids(again), ['a1']);
  assert.equal(again[0]!.attempt, 2);
  await again[0]!.term();
  assert.deepEqual(ids(await take(ordered)), ['a2'], 'after the dead letter, the key moves on');
  await ordered.close();
});

test('a lease not settled within leaseMs comes back with attempt + 1; the stale one settles nothing', async (t) => {
  const { ordered } = await setup(t, [event('a1', 'a'), event('a2', 'a')]);
  const [stale] = await take(ordered, 20);
  const [fresh] = await take(ordered, 30_000, 1_000);
  assert.equal(fresh!.attempt, 2);
  await stale!.ack();
  assert.deepEqual(await take(ordered), [], 'the stale ack did not move the key on');
  await fresh!.ack();
  assert.deepEqual(ids(await take(ordered)), ['a2']);
  await ordered.close();
});

test('close hands every held delivery back to the store, due at once, in accepted order', async (t) => {
  const { store, ordered } = await setup(t, [event('a1', 'a'), event('a2', 'a'), event('b1', 'b')]);
  const held = await take(ordered);
  await held[0]!.nak(60_000);
  await ordered.close();
  await held[1]!.ack();
  const back = await store.queue('q').lease({ max: 10, leaseMs: 1_000, signal: AbortSignal.timeout(500) });
  assert.deepEqual(ids(back), ['a1', 'a2', 'b1'], 'nothing settled after close, nothing kept waiting');
});
