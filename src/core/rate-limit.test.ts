import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limit.js';

test('a key gets `burst` lines per window; the held-back count comes with the next line', () => {
  const limiter = new RateLimiter({ burst: 2, windowMs: 1000 });
  const steps: [string, number, number | undefined][] = [
    ['a', 0, 0],
    ['a', 10, 0],
    ['a', 20, undefined],
    ['a', 30, undefined],
    ['b', 40, 0],
    ['a', 1000, 2],
    ['a', 1001, 0],
    ['a', 1002, undefined],
  ];
  for (const [key, now, expected] of steps) assert.equal(limiter.take(key, now), expected, `${key}@${now}`);
});

test('the keys tracked are bounded: the oldest is forgotten', () => {
  const limiter = new RateLimiter({ burst: 1, windowMs: 1000, maxKeys: 2 });
  assert.equal(limiter.take('a', 0), 0);
  assert.equal(limiter.take('a', 1), undefined);
  assert.equal(limiter.take('b', 2), 0);
  assert.equal(limiter.take('c', 3), 0);
  // 'a' was forgotten with its window: it starts again.
  assert.equal(limiter.take('a', 4), 0);
});
