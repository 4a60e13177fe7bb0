import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoDuration } from './index.js';

const cases: [text: string, ms: number | undefined][] = [
  ['PT0.2S', 200],
  ['PT1S', 1000],
  ['PT0S', 0],
  ['P0D', 0],
  ['PT1M30S', 90_000],
  ['PT1H', 3_600_000],
  ['PT1H2M3.5S', 3_723_500],
  ['P1D', 86_400_000],
  ['P1DT12H', 129_600_000],
  ['P2W', 1_209_600_000],
  ['PT1.5M', 90_000],
  ['PT0,5S', 500],
  ['PT0.0004S', 0],
  ['PT0.0006S', 1],
  ['PT90S', 90_000],
  // Refused: not a duration, an empty one, a sign, a missing P or T, lower case, spaces.
  ['', undefined],
  ['P', undefined],
  ['PT', undefined],
  ['P1DT', undefined],
  ['1S', undefined],
  ['T1S', undefined],
  ['P1S', undefined],
  ['PT1D', undefined],
  ['-PT1S', undefined],
  ['+PT1S', undefined],
  ['pt1s', undefined],
  [' PT1S', undefined],
  ['PT1S ', undefined],
  ['PT.5S', undefined],
  ['PT5.S', undefined],
  ['PT1S1M', undefined],
  ['P1W1D', undefined],
  ['200ms', undefined],
  // Only the last component may carry a fraction (ISO 8601-1).
  ['PT1.5M2S', undefined],
  ['P1.5DT1H', undefined],
  // Years and months have no fixed length.
  ['P1Y', undefined],
  ['P1M', undefined],
  ['P1Y2M3D', undefined],
];

for (const [text, ms] of cases) {
  test(`parseIsoDuration(${JSON.stringify(text)}) = ${String(ms)}`, () => {
    assert.equal(parseIsoDuration(text), ms);
  });
}

test('parseIsoDuration refuses a non-string without throwing', () => {
  assert.equal(parseIsoDuration(200 as unknown as string), undefined);
});
