import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { settleHeap } from './settle-heap.js';

test('collects without leaving a gc global behind, here or in contexts made later', () => {
  const hadGc = typeof (globalThis as { gc?: unknown }).gc;
  const garbage = Array.from({ length: 50_000 }, (_, i) => ({ i, text: `object ${i}` }));
  garbage.length = 0;
  settleHeap();
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, hadGc);
  assert.equal(vm.runInNewContext('typeof gc'), 'undefined');
});
