import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, compileDeliveryPolicy, MAX_DELAY_MS, nextAttemptDelayMs } from './index.js';
import type { AttemptResult, DeliveryPolicy } from './index.js';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const timeout: AttemptResult = { kind: 'timeout' };

test('defaults when nothing is set: retry 10, exponential, PT0.2S, timeout PT30S, binary', () => {
  const expected: DeliveryPolicy = {
    retry: 10,
    backoffPolicy: 'exponential',
    backoffDelayMs: 200,
    timeoutMs: 30_000,
    retryAfterMaxMs: undefined,
    deadLetterSink: undefined,
    format: 'binary',
  };
  assert.deepEqual(compileDeliveryPolicy(undefined), expected);
  assert.deepEqual(compileDeliveryPolicy({}), expected);
  // Frozen, so every trigger without a spec shares one.
  assert.equal(compileDeliveryPolicy(undefined), compileDeliveryPolicy(undefined));
});

test('every field is taken from the spec', () => {
  const deadLetterSink = { uri: 'http://dls.example/' };
  assert.deepEqual(
    compileDeliveryPolicy({
      retry: 3,
      backoffPolicy: 'linear',
      backoffDelay: 'PT1S',
      timeout: 'PT5S',
      retryAfterMax: 'PT1M',
      deadLetterSink,
      format: 'json',
    }),
    {
      retry: 3,
      backoffPolicy: 'linear',
      backoffDelayMs: 1000,
      timeoutMs: 5000,
      retryAfterMaxMs: 60_000,
      deadLetterSink,
      format: 'json',
    },
  );
});

test('a compiled policy is frozen', () => {
  assert.ok(Object.isFrozen(compileDeliveryPolicy(undefined)));
});

test('compiling an unvalidated bad duration throws instead of guessing', () => {
  assert.throws(() => compileDeliveryPolicy({ backoffDelay: '1s' }), TypeError);
});

const linear = compileDeliveryPolicy({ backoffPolicy: 'linear', backoffDelay: 'PT0.5S', retry: 5 });
const exponential = compileDeliveryPolicy({ backoffPolicy: 'exponential', backoffDelay: 'PT0.2S', retry: 5 });

const backoffRows: [policy: DeliveryPolicy, n: number, ms: number][] = [
  [linear, 1, 500],
  [linear, 2, 1000],
  [linear, 3, 1500],
  [linear, 10, 5000],
  [exponential, 1, 400],
  [exponential, 2, 800],
  [exponential, 3, 1600],
  [exponential, 10, 204_800],
];

for (const [policy, n, ms] of backoffRows) {
  test(`backoffMs: ${policy.backoffPolicy} PT${policy.backoffDelayMs / 1000}S, retry ${n} -> ${ms}`, () => {
    assert.equal(backoffMs(policy, n), ms);
  });
}

test('backoffMs never exceeds MAX_DELAY_MS, even for huge retry numbers', () => {
  assert.equal(backoffMs(exponential, 40), MAX_DELAY_MS);
  assert.equal(backoffMs(exponential, 5000), MAX_DELAY_MS);
  assert.equal(
    backoffMs(compileDeliveryPolicy({ backoffPolicy: 'linear', backoffDelay: 'P30D' }), 2),
    MAX_DELAY_MS,
  );
});

test('a zero backoff delay retries at once', () => {
  assert.equal(backoffMs(compileDeliveryPolicy({ backoffDelay: 'PT0S' }), 3), 0);
});

test('retry = retries after the first attempt: retry 2 allows 3 attempts in all', () => {
  const policy = compileDeliveryPolicy({ retry: 2, backoffPolicy: 'linear', backoffDelay: 'PT1S' });
  assert.equal(nextAttemptDelayMs(policy, 1, timeout, NOW), 1000);
  assert.equal(nextAttemptDelayMs(policy, 2, timeout, NOW), 2000);
  assert.equal(nextAttemptDelayMs(policy, 3, timeout, NOW), undefined);
});

test('retry 0: the first failure is final', () => {
  assert.equal(nextAttemptDelayMs(compileDeliveryPolicy({ retry: 0 }), 1, timeout, NOW), undefined);
});

test('the default policy waits 0.4 s, 0.8 s, ... and stops after the 11th attempt', () => {
  const policy = compileDeliveryPolicy(undefined);
  const waits = Array.from({ length: 11 }, (_, i) =>
    nextAttemptDelayMs(policy, i + 1, { kind: 'network-error', message: 'x' }, NOW),
  );
  assert.deepEqual(waits, [400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200, 102_400, 204_800, undefined]);
});

test('no further attempt after a success or a non-retryable failure', () => {
  const policy = compileDeliveryPolicy(undefined);
  assert.equal(nextAttemptDelayMs(policy, 1, { kind: 'response', status: 202 }, NOW), undefined);
  assert.equal(nextAttemptDelayMs(policy, 1, { kind: 'response', status: 400 }, NOW), undefined);
  assert.equal(nextAttemptDelayMs(policy, 1, { kind: 'response', status: 302 }, NOW), undefined);
});

const withMax = compileDeliveryPolicy({
  retry: 5,
  backoffPolicy: 'linear',
  backoffDelay: 'PT1S',
  retryAfterMax: 'PT30S',
});
const retryAfterRows: [name: string, policy: DeliveryPolicy, result: AttemptResult, ms: number][] = [
  [
    '429 with Retry-After seconds below the max',
    withMax,
    { kind: 'response', status: 429, retryAfter: '10' },
    10_000,
  ],
  [
    '503 with Retry-After seconds below the max',
    withMax,
    { kind: 'response', status: 503, retryAfter: '10' },
    10_000,
  ],
  [
    'Retry-After is capped at retryAfterMax',
    withMax,
    { kind: 'response', status: 429, retryAfter: '3600' },
    30_000,
  ],
  [
    'an HTTP-date Retry-After',
    withMax,
    { kind: 'response', status: 503, retryAfter: 'Mon, 15 Jan 2024 12:00:20 GMT' },
    20_000,
  ],
  [
    'a Retry-After shorter than the backoff does not shorten it',
    withMax,
    { kind: 'response', status: 429, retryAfter: '0' },
    1000,
  ],
  [
    'an unparsable Retry-After falls back to the backoff',
    withMax,
    { kind: 'response', status: 429, retryAfter: 'soon' },
    1000,
  ],
  ['Retry-After on 500 is not honored', withMax, { kind: 'response', status: 500, retryAfter: '10' }, 1000],
  ['Retry-After on 404 is not honored', withMax, { kind: 'response', status: 404, retryAfter: '10' }, 1000],
  ['429 without Retry-After uses the backoff', withMax, { kind: 'response', status: 429 }, 1000],
  [
    'retryAfterMax unset: Retry-After is ignored (Knative opt-in)',
    compileDeliveryPolicy({ retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT1S' }),
    { kind: 'response', status: 429, retryAfter: '10' },
    1000,
  ],
  [
    'retryAfterMax PT0S: Retry-After is ignored (Knative opt-out)',
    compileDeliveryPolicy({ retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT1S', retryAfterMax: 'PT0S' }),
    { kind: 'response', status: 503, retryAfter: '10' },
    1000,
  ],
];

for (const [name, policy, result, ms] of retryAfterRows) {
  test(`Retry-After: ${name}`, () => {
    assert.equal(nextAttemptDelayMs(policy, 1, result, NOW), ms);
  });
}

test('Retry-After never grants an attempt beyond retry', () => {
  assert.equal(
    nextAttemptDelayMs(withMax, 6, { kind: 'response', status: 429, retryAfter: '1' }, NOW),
    undefined,
  );
});
