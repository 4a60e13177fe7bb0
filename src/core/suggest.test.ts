import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, suggestions } from './suggest.js';

const kinds = [
  'brokers',
  'broker',
  'brk',
  'triggers',
  'trigger',
  'trg',
  'tr',
  'namespaces',
  'ns',
  'configmaps',
];

const cases: [word: string, expected: string[]][] = [
  ['brokr', ['broker']],
  ['borker', ['broker']],
  ['trigers', ['triggers']],
  ['Triggerz', ['trigger', 'triggers']],
  ['names', ['namespaces']],
  ['configmap', ['configmaps']],
  ['xyz', []],
  ['subscription', []],
];

for (const [word, expected] of cases) {
  test(`suggestions for "${word}": ${expected.join(', ') || 'none'}`, () => {
    assert.deepEqual(suggestions(word, kinds), expected);
  });
}

test('didYouMean phrases the suggestions, or says nothing', () => {
  assert.equal(didYouMean('brokr', kinds), ' (did you mean "broker"?)');
  assert.equal(didYouMean('zzz', kinds), '');
});
