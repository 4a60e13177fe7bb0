import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleWatches } from './idle-watches.js';
import { DeliveryScheduler, type Pending } from './scheduler.js';

const pending = (seq: number): Pending => ({
  seq,
  attempt: 0,
  state: 0,
  due: 0,
  batch: undefined,
  heapIndex: -1,
});

test('IdleWatches: waiting calls move to the queue’s scheduler and are called after its first delivery', async () => {
  const idle = new IdleWatches();
  const calls: string[] = [];
  idle.add('q', () => calls.push('first'));
  idle.add('q', () => calls.push('second'));
  idle.add('other', () => calls.push('other'));
  const scheduler = new DeliveryScheduler<Pending>();
  idle.moveTo('q', scheduler);
  assert.equal(idle.size, 1, 'only the other queue still waits here');
  await Promise.resolve();
  assert.deepEqual(calls, []);
  scheduler.add(pending(1));
  await Promise.resolve();
  assert.deepEqual(calls, ['first', 'second']);
  scheduler.close();
});

test('IdleWatches: a cancel works before and after the move, and clear forgets every call', async () => {
  const idle = new IdleWatches();
  const calls: string[] = [];
  const before = idle.add('q', () => calls.push('cancelled before'));
  const after = idle.add('q', () => calls.push('cancelled after'));
  idle.add('q', () => calls.push('kept'));
  before();
  const scheduler = new DeliveryScheduler<Pending>();
  idle.moveTo('q', scheduler);
  after();
  scheduler.add(pending(1));
  await Promise.resolve();
  assert.deepEqual(calls, ['kept']);
  const last = idle.add('gone', () => calls.push('gone'));
  last();
  assert.equal(idle.size, 0, 'a queue whose last call was cancelled is forgotten');
  idle.add('cleared', () => calls.push('cleared'));
  idle.clear();
  assert.equal(idle.size, 0);
  scheduler.close();
});
