import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { getEventListeners } from 'node:events';
import { deadline, linkedSignal } from './signals.js';

// Full collections on demand without --expose-gc on the command line: the failure this guards against
// (AbortSignal.any over AbortSignal.timeout) shows only once the timeout signal has been collected.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

test('aborts with a TimeoutError once the time has passed, even across garbage collections', async () => {
  const parent = new AbortController();
  const { signal } = deadline(parent.signal, 30);
  // What the composite of AbortSignal.timeout got wrong: nothing else refers to the timer's signal.
  for (let i = 0; i < 5; i++) {
    gc();
    await tick();
  }
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as DOMException).name, 'TimeoutError');
});

test('aborts with the parent and its reason, and stops its timer', () => {
  const parent = new AbortController();
  const { signal } = deadline(parent.signal, 60_000);
  parent.abort(new Error('client gone'));
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as Error).message, 'client gone');
});

test('starts aborted when the parent already is', () => {
  const parent = new AbortController();
  parent.abort();
  assert.equal(deadline(parent.signal, 60_000).signal.aborted, true);
});

test('clear() leaves the signal as it is: no timeout and no parent listener', async () => {
  const parent = new AbortController();
  const running = deadline(parent.signal, 10);
  running.clear();
  await new Promise((resolve) => setTimeout(resolve, 30));
  parent.abort();
  assert.equal(running.signal.aborted, false);
});

test('a linked signal aborts with the first source to abort, with its reason', () => {
  const a = new AbortController();
  const b = new AbortController();
  const linked = linkedSignal([a.signal, b.signal]);
  b.abort(new Error('b first'));
  a.abort(new Error('a later'));
  assert.equal((linked.signal.reason as Error).message, 'b first');
});

test('a linked signal leaves no listener on a long-lived source once released or aborted', () => {
  const loop = new AbortController();
  for (let i = 0; i < 1000; i++) {
    const call = linkedSignal([loop.signal]);
    if (i % 2 === 0) call.abort();
    else call.release();
  }
  assert.equal(getEventListeners(loop.signal, 'abort').length, 0);
  assert.equal(loop.signal.aborted, false);
});
