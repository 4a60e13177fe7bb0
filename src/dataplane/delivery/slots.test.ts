import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaseSize, OriginSlots } from './slots.js';

test('leaseSize: the own window, bounded by the origin when shared; one for a loop with nothing in flight', () => {
  const cases: [ownFree: number, originFree: number | undefined, inflight: number, expected: number][] = [
    // No shared count: the trigger's own window alone.
    [100, undefined, 0, 100],
    [3, undefined, 97, 3],
    [0, undefined, 100, 0],
    // Shared: the smaller of the two.
    [100, 128, 0, 100],
    [100, 28, 0, 28],
    [5, 28, 95, 5],
    // Origin full or overshot: a loop with deliveries in flight waits for one of them ...
    [100, 0, 3, 0],
    [100, -4, 1, 0],
    // ... one with none leases a single delivery, so it is never shut out.
    [100, 0, 0, 1],
    [100, -100, 0, 1],
    // Its own window full: nothing, whatever the origin has.
    [0, 128, 100, 0],
    [-2, 128, 102, 0],
  ];
  for (const [ownFree, originFree, inflight, expected] of cases) {
    assert.equal(leaseSize(ownFree, originFree, inflight), expected, `${ownFree} ${originFree} ${inflight}`);
  }
});

test('OriginSlots counts what is taken against its limit, below zero when overshot', () => {
  const slots = new OriginSlots(2);
  assert.equal(slots.free, 2);
  slots.take(3);
  assert.deepEqual([slots.free, slots.inUse], [-1, 3]);
  slots.give(3);
  assert.deepEqual([slots.free, slots.inUse], [2, 0]);
});
