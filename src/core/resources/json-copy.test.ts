import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCopy } from './json-copy.js';

const cases: readonly [string, unknown][] = [
  ['a string', 'x'],
  ['a number', 1.5],
  ['null', null],
  ['an empty object', {}],
  ['an array of mixed values', [1, 'a', null, true, { b: [2] }]],
  [
    'a trigger',
    {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 't', labels: { a: 'b' } },
      spec: { filter: { attributes: { type: 'x' } }, subscriber: { uri: 'http://s/' } },
    },
  ],
];

for (const [name, value] of cases) {
  test(`jsonCopy of ${name} equals what structuredClone makes`, () => {
    assert.deepStrictEqual(jsonCopy(value), structuredClone(value));
  });
}

test('the copy shares nothing with the original', () => {
  const original = { spec: { list: [{ a: 1 }] } };
  const copied = jsonCopy(original);
  copied.spec.list[0]!.a = 2;
  copied.spec.list.push({ a: 3 });
  assert.deepStrictEqual(original, { spec: { list: [{ a: 1 }] } });
});

test('a __proto__ key from JSON.parse stays an own key and sets no prototype', () => {
  const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
  const copied = jsonCopy(parsed);
  assert.equal(Object.getPrototypeOf(copied), Object.prototype);
  assert.equal((copied as { polluted?: boolean }).polluted, undefined);
  assert.deepStrictEqual(Object.keys(copied), ['__proto__', 'a']);
  assert.deepStrictEqual(copied['__proto__'], { polluted: true });
});
