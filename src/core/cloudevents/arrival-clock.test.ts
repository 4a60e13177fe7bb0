import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArrivalClock } from './arrival-clock.js';

test('arrival clock: same text within a millisecond, the exact ISO form, a new text for the next one', () => {
  let now = Date.UTC(2026, 11, 6, 20, 15, 0, 123);
  const clock = new ArrivalClock(() => now);
  const first = clock.text();
  assert.equal(first, '2026-12-06T20:15:00.123Z');
  assert.equal(clock.text(), first);
  now += 1;
  assert.equal(clock.text(), '2026-12-06T20:15:00.124Z');
  now -= 5; // a clock stepped back still gets its own, correct text
  assert.equal(clock.text(), '2026-12-06T20:15:00.119Z');
});
