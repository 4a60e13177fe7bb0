import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelCap, OTHER } from './label-cap.js';

test('the first values up to the cap are kept; later and overlong values fold into one', () => {
  const cap = new LabelCap(2);
  const cases: [string, string][] = [
    ['a', 'a'],
    ['b', 'b'],
    ['c', OTHER],
    ['a', 'a'],
    ['b', 'b'],
    ['d', OTHER],
  ];
  for (const [raw, expected] of cases) assert.equal(cap.value(raw), expected, raw);
  assert.equal(new LabelCap(10).value('x'.repeat(129)), OTHER);
  assert.equal(new LabelCap(10).value('x'.repeat(128)), 'x'.repeat(128));
});
