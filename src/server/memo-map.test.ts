import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoMap, nested } from './memo-map.js';

test('a value is made once per key, on first use', () => {
  const made: string[] = [];
  const map = new MemoMap((key: string) => {
    made.push(key);
    return { key };
  });
  assert.equal(map.size, 0);
  const first = map.get('a');
  assert.equal(map.get('a'), first);
  map.get('b');
  assert.deepEqual(made, ['a', 'b']);
  assert.equal(map.size, 2);
});

test('keys are the values themselves: a number and its string are different keys', () => {
  const map = new MemoMap((key: number | string) => ({ key }));
  assert.notEqual(map.get(202), map.get('202'));
  assert.equal(map.get(202).key, 202);
});

const tuples: { name: string; keys: [string, string, number] }[] = [
  { name: 'plain', keys: ['ns', 't', 202] },
  { name: 'values that only join alike', keys: ['n\u0000s', 't', 202] },
  { name: 'the other split', keys: ['n', '\u0000st', 202] },
  { name: 'empty strings', keys: ['', '', 0] },
];

test('nested maps give one value per tuple, made from the whole tuple', () => {
  const made: unknown[] = [];
  const tree = nested<[string, string, number], { keys: readonly unknown[] }>(3, (keys) => {
    made.push(keys);
    return { keys };
  });
  for (const { name, keys } of tuples) {
    const [a, b, c] = keys;
    assert.deepEqual(tree.get(a).get(b).get(c).keys, keys, name);
    assert.equal(tree.get(a).get(b).get(c), tree.get(a).get(b).get(c), name);
  }
  assert.equal(made.length, tuples.length);
});

test('a depth of one is a MemoMap; zero is refused', () => {
  const tree = nested<[string], { k: string }>(1, ([k]) => ({ k }));
  assert.equal(tree.get('x').k, 'x');
  assert.throws(() => nested<[], object>(0, () => ({})), /depth/);
});
