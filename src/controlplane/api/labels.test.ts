import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../../core/errors.js';
import { matchesSelector, parseLabelSelector } from './labels.js';

const labels = { app: 'shop', tier: 'backend', 'example.com/team': 'a' };

const cases: [selector: string, expected: boolean][] = [
  ['', true],
  ['app=shop', true],
  ['app==shop', true],
  ['app=web', false],
  ['app!=web', true],
  ['app!=shop', false],
  ['missing!=x', true],
  ['app', true],
  ['missing', false],
  ['!missing', true],
  ['!app', false],
  ['app=shop,tier=backend', true],
  ['app=shop,tier=frontend', false],
  ['app=shop, !missing, tier', true],
  ['example.com/team=a', true],
  ['app=', false],
];

for (const [selector, expected] of cases) {
  test(`label selector "${selector}" ${expected ? 'selects' : 'does not select'} the labels`, () => {
    assert.equal(matchesSelector(parseLabelSelector(selector), labels), expected);
  });
}

test('an object without labels is selected only by negative requirements', () => {
  assert.equal(matchesSelector(parseLabelSelector('a!=b,!c'), undefined), true);
  assert.equal(matchesSelector(parseLabelSelector('a'), undefined), false);
});

for (const bad of ['=x', 'a=b=c', 'a b', 'env in (prod)', '!', 'a,,b', 'a=-x']) {
  test(`label selector "${bad}" is rejected as a bad request`, () => {
    assert.throws(
      () => parseLabelSelector(bad),
      (e: unknown) => e instanceof MeshError && e.code === 'MESH_REQUEST_INVALID' && e.message.includes(bad),
    );
  });
}
