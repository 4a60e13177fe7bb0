import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { DeliveryScheduler, READY, type Pending } from './scheduler.js';

function pending(seq: number): Pending {
  return { seq, attempt: 0, state: READY, due: 0, batch: undefined, heapIndex: -1 };
}

const forever = new AbortController().signal;

/** Unlike AbortSignal.timeout, keeps the event loop alive while waiting. */
function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}
const seqs = (items: Pending[]) => items.map((p) => p.seq);

test('deliveries that come back are handed out before younger fresh ones (oldest first by seq)', async () => {
  const s = new DeliveryScheduler<Pending>();
  for (const seq of [1, 2, 3, 4]) s.add(pending(seq));
  const [one, two] = await s.lease(2, 30_000, forever);
  assert.ok(s.retry(two!, two!.attempt, 0));
  assert.ok(s.retry(one!, one!.attempt, 0));
  assert.deepEqual(seqs(await s.lease(10, 30_000, forever)), [1, 2, 3, 4]);
  s.close();
});

test('a stale lease settles nothing: after expiry only the new holder can settle', async () => {
  const s = new DeliveryScheduler<Pending>();
  s.add(pending(1));
  const [first] = await s.lease(1, 20, forever);
  const firstAttempt = first!.attempt;
  const [second] = await s.lease(1, 30_000, forever);
  assert.equal(second!.attempt, firstAttempt + 1);
  assert.equal(s.finish(second!, firstAttempt), false, 'the expired lease cannot ack');
  assert.equal(s.retry(second!, firstAttempt, 0), false, 'nor nak');
  assert.equal(s.finish(second!, second!.attempt), true);
  assert.equal(s.finish(second!, second!.attempt), false, 'settling twice does nothing');
  s.close();
});

test('waiters are served in the order they started waiting, each up to its max', async () => {
  const s = new DeliveryScheduler<Pending>();
  const a = s.lease(2, 30_000, forever);
  const b = s.lease(5, 30_000, forever);
  for (const seq of [1, 2, 3]) s.add(pending(seq));
  assert.deepEqual(seqs(await a), [1, 2]);
  assert.deepEqual(seqs(await b), [3]);
  s.close();
});

test('clear makes outstanding leases stale and drops every delivery', async () => {
  const s = new DeliveryScheduler<Pending>();
  for (const seq of [1, 2]) s.add(pending(seq));
  const [leased] = await s.lease(1, 30_000, forever);
  s.clear();
  assert.equal(s.retry(leased!, leased!.attempt, 0), false);
  assert.equal(s.readyCount, 0);
  assert.deepEqual(await s.lease(1, 30_000, abortAfter(20)), []);
  s.close();
});

test('a signal gets one abort listener for all its waits; its abort ends only its own waits', async () => {
  const s = new DeliveryScheduler<Pending>();
  const loop = new AbortController();
  const other = new AbortController();
  // A delivery loop's shape: wait, get one delivery, wait again, with one signal throughout.
  for (let seq = 1; seq <= 100; seq++) {
    const waiting = s.lease(1, 30_000, loop.signal);
    s.add(pending(seq));
    assert.deepEqual(seqs(await waiting), [seq]);
  }
  assert.equal(getEventListeners(loop.signal, 'abort').length, 1);
  const mine = [s.lease(1, 30_000, loop.signal), s.lease(1, 30_000, loop.signal)];
  const theirs = s.lease(1, 30_000, other.signal);
  loop.abort();
  assert.deepEqual(await Promise.all(mine), [[], []]);
  s.add(pending(101));
  assert.deepEqual(seqs(await theirs), [101], 'a wait on another signal still gets work');
  assert.deepEqual(await s.lease(1, 30_000, loop.signal), [], 'an aborted signal leases nothing');
  s.close();
});

test('close resolves waiters with [] and later leases at once with []', async () => {
  const s = new DeliveryScheduler<Pending>();
  const waiting = s.lease(1, 1000, forever);
  s.close();
  assert.deepEqual(await waiting, []);
  s.add(pending(1));
  assert.deepEqual(await s.lease(1, 1000, forever), []);
});

test('with timer slack, an expiry is noticed no earlier than its deadline and at most the slack later', async () => {
  const s = new DeliveryScheduler<Pending>({ timerSlackMs: 40 });
  s.add(pending(1));
  const leasedAt = Date.now();
  await s.lease(1, 20, forever);
  const [again] = await s.lease(1, 30_000, abortAfter(2000));
  const waited = Date.now() - leasedAt;
  assert.equal(again?.attempt, 2);
  assert.ok(waited >= 20, `waited ${waited} ms`);
  s.close();
});

test('whenWork calls back once after the append that brings the first delivery, not before', async () => {
  const s = new DeliveryScheduler<Pending>();
  let calls = 0;
  s.whenWork(() => calls++);
  assert.equal(s.waiterCount, 1, 'a queue dropped meanwhile must keep whoever waits for work');
  await Promise.resolve();
  assert.equal(calls, 0);
  s.add(pending(1));
  s.add(pending(2));
  assert.equal(calls, 0, 'not inside the append');
  await Promise.resolve();
  assert.equal(calls, 1);
  s.add(pending(3));
  await Promise.resolve();
  assert.equal(calls, 1, 'once');
  assert.equal(s.waiterCount, 0);
  assert.deepEqual(seqs(await s.lease(10, 30_000, forever)), [1, 2, 3]);
  s.close();
});

test('whenWork calls back at once when the queue already holds a delivery: due, delayed or leased', async () => {
  const due = new DeliveryScheduler<Pending>();
  due.add(pending(1));
  const delayed = new DeliveryScheduler<Pending>();
  delayed.addDelayed(pending(1), Date.now() + 60_000);
  const leased = new DeliveryScheduler<Pending>();
  leased.add(pending(1));
  await leased.lease(1, 30_000, forever);
  for (const s of [due, delayed, leased]) {
    let called = false;
    s.whenWork(() => (called = true));
    await Promise.resolve();
    assert.equal(called, true);
    s.close();
  }
});

test('a delivery added for later (nak) also calls whenWork back', async () => {
  const s = new DeliveryScheduler<Pending>();
  let called = false;
  s.whenWork(() => (called = true));
  s.addDelayed(pending(1), Date.now() + 60_000);
  await Promise.resolve();
  assert.equal(called, true);
  s.close();
});

test('a cancelled whenWork is never called, and closing the queue drops it', async () => {
  const s = new DeliveryScheduler<Pending>();
  let calls = 0;
  const cancel = s.whenWork(() => calls++);
  cancel();
  assert.equal(s.waiterCount, 0);
  s.add(pending(1));
  const cancelLater = s.whenWork(() => calls++);
  cancelLater();
  await Promise.resolve();
  assert.equal(calls, 0, 'cancelled before its microtask ran');
  const closed = new DeliveryScheduler<Pending>();
  closed.whenWork(() => calls++);
  closed.close();
  closed.add(pending(1));
  await Promise.resolve();
  assert.equal(calls, 0);
  s.close();
});
