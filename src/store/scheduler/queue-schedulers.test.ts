import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueueSchedulers } from './queue-schedulers.js';
import { READY, type Pending } from './scheduler.js';

function pending(seq: number): Pending {
  return { seq, attempt: 0, state: READY, due: 0, batch: undefined, heapIndex: -1 };
}

test('QueueSchedulers: a queue waited on makes no scheduler until its first delivery, then calls the wait', async () => {
  const schedulers = new QueueSchedulers<Pending>({});
  const calls: string[] = [];
  schedulers.whenWork('q', () => calls.push('q'));
  assert.equal(schedulers.get('q'), undefined, 'waiting alone makes no scheduler');
  schedulers.of('q').add(pending(1));
  await Promise.resolve();
  assert.deepEqual(calls, ['q']);
  assert.deepEqual(
    [...schedulers.entries()].map(([id]) => id),
    ['q'],
  );
  schedulers.close();
});

test('QueueSchedulers: forget drops a queue, but keeps a scheduler a loop waits on, so it sees later deliveries', async () => {
  const schedulers = new QueueSchedulers<Pending>({});
  schedulers.of('busy').add(pending(1));
  const calls: string[] = [];
  const waited = schedulers.of('waited');
  schedulers.whenWork('waited', () => calls.push('waited'));
  schedulers.forgetAll();
  assert.equal(schedulers.get('busy'), undefined, 'nobody waits on it: gone, with its delivery');
  assert.equal(schedulers.get('waited'), waited, 'its loop still waits on it');
  waited.add(pending(2));
  await Promise.resolve();
  assert.deepEqual(calls, ['waited']);
  schedulers.close();
});

test('QueueSchedulers: once closed, a wait is never called and new schedulers are closed', async () => {
  const schedulers = new QueueSchedulers<Pending>({});
  const calls: string[] = [];
  schedulers.whenWork('before', () => calls.push('before'));
  schedulers.close();
  schedulers.whenWork('after', () => calls.push('after'));
  schedulers.of('before').add(pending(1));
  schedulers.of('after').add(pending(2));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, []);
});
