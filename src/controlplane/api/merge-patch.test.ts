import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.js';

// RFC 7396 Appendix A: every example, as [original, patch, result].
const appendixA: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

appendixA.forEach(([original, patch, result], i) => {
  test(`RFC 7396 Appendix A example ${i + 1}`, () => {
    assert.deepEqual(applyMergePatch(original, patch), result);
  });
});

test('applying a merge patch leaves the target and the patch unchanged', () => {
  const target = { metadata: { labels: { a: '1', b: '2' } } };
  const patch = { metadata: { labels: { a: null, c: '3' } } };
  const result = applyMergePatch(target, patch);
  assert.deepEqual(result, { metadata: { labels: { b: '2', c: '3' } } });
  assert.deepEqual(target, { metadata: { labels: { a: '1', b: '2' } } });
  assert.deepEqual(patch, { metadata: { labels: { a: null, c: '3' } } });
});

test('a __proto__ member in a patch is an ordinary member, not a prototype change', () => {
  const patch = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
  const result = applyMergePatch({}, patch) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.equal((result as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(Object.keys(result), ['__proto__']);
});
