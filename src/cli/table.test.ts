import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageOf, formatAge, formatTable } from './table.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const ages: [ms: number, text: string][] = [
  [0, '0s'],
  [-5 * S, '0s'],
  [45 * S, '45s'],
  [119 * S, '119s'],
  [2 * M, '2m'],
  [3 * M + 20 * S, '3m20s'],
  [10 * M + 5 * S, '10m'],
  [179 * M, '179m'],
  [3 * H, '3h'],
  [5 * H + 10 * M, '5h10m'],
  [30 * H, '30h'],
  [3 * D + 4 * H, '3d4h'],
  [8 * D, '8d'],
  [400 * D, '400d'],
  [3 * 365 * D + 20 * D, '3y20d'],
  [9 * 365 * D, '9y'],
];

for (const [ms, text] of ages) {
  test(`an age of ${ms} ms prints as ${text}, as kubectl prints it`, () => {
    assert.equal(formatAge(ms), text);
  });
}

test('ages of missing or unreadable timestamps print <unknown>', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  assert.equal(ageOf(undefined, now), '<unknown>');
  assert.equal(ageOf('yesterday', now), '<unknown>');
  assert.equal(ageOf('2024-05-01T11:59:00Z', now), '60s');
});

test('tables align columns three spaces apart and trim trailing space', () => {
  const text = formatTable(
    ['NAME', 'READY', 'URL'],
    [
      ['default', 'True', 'http://x/'],
      ['b', '', ''],
    ],
  );
  assert.equal(text, 'NAME      READY   URL\ndefault   True    http://x/\nb\n');
});
