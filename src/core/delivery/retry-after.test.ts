import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryAfterMs } from './index.js';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0); // Mon, 15 Jan 2024 12:00:00 GMT

const cases: [value: string, ms: number | undefined][] = [
  ['0', 0],
  ['1', 1000],
  ['120', 120_000],
  [' 30 ', 30_000],
  ['Mon, 15 Jan 2024 12:00:30 GMT', 30_000],
  ['Tue, 16 Jan 2024 12:00:00 GMT', 86_400_000],
  // A date in the past means "retry now".
  ['Sun, 14 Jan 2024 12:00:00 GMT', 0],
  // Not delay-seconds and not an HTTP-date.
  ['', undefined],
  ['-5', undefined],
  ['1.5', undefined],
  ['10.5', undefined],
  ['5s', undefined],
  ['PT5S', undefined],
  ['2024-01-15T12:00:30Z', undefined],
  ['Mon, 15 Jan 2024 12:00:30 UTC', undefined],
  ['Mon, 31 Feb 2024 12:00:30 GMT', undefined],
  ['Mon, 15 Jan 2024 25:00:30 GMT', undefined],
  ['Mon, 15 Foo 2024 12:00:30 GMT', undefined],
];

for (const [value, ms] of cases) {
  test(`retryAfterMs(${JSON.stringify(value)}) = ${String(ms)}`, () => {
    assert.equal(retryAfterMs(value, NOW), ms);
  });
}

test('Recipients MUST accept all three HTTP-date formats (RFC 9110 section 5.6.7)', () => {
  assert.equal(retryAfterMs('Mon, 15 Jan 2024 12:01:00 GMT', NOW), 60_000, 'IMF-fixdate');
  assert.equal(retryAfterMs('Monday, 15-Jan-24 12:01:00 GMT', NOW), 60_000, 'RFC 850');
  assert.equal(retryAfterMs('Mon Jan 15 12:01:00 2024', NOW), 60_000, 'asctime');
  assert.equal(
    retryAfterMs('Tue Jan  2 12:00:00 2024', Date.UTC(2024, 0, 2, 11, 59, 0)),
    60_000,
    'asctime, 1-digit day',
  );
});

test('an RFC 850 two-digit year more than 50 years ahead is read as the past century', () => {
  // In 2024, "80" is 1980 (2080 would be 56 years ahead): long past, so no wait.
  assert.equal(retryAfterMs('Monday, 15-Jan-80 12:00:00 GMT', NOW), 0);
  // "70" is 2070 (46 years ahead).
  assert.equal(retryAfterMs('Tuesday, 15-Jan-70 12:00:00 GMT', NOW), Date.UTC(2070, 0, 15, 12) - NOW);
});
