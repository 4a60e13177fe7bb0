import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, JsonPatchError, JsonPatchSyntaxError, parseJsonPatch } from './json-patch.js';

const applies: [string, unknown, unknown[], unknown][] = [
  ['add a member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' }],
  [
    'add into an array',
    { foo: ['bar', 'baz'] },
    [{ op: 'add', path: '/foo/1', value: 'qux' }],
    { foo: ['bar', 'qux', 'baz'] },
  ],
  ['append with -', { a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }], { a: [1, 2] }],
  ['add replaces an existing member', { a: 1 }, [{ op: 'add', path: '/a', value: 2 }], { a: 2 }],
  [
    'add a nested member',
    { foo: 'bar' },
    [{ op: 'add', path: '/child', value: { grand: 'c' } }],
    { foo: 'bar', child: { grand: 'c' } },
  ],
  [
    'add an array value whole',
    { foo: ['bar'] },
    [{ op: 'add', path: '/foo/1', value: ['abc', 'def'] }],
    { foo: ['bar', ['abc', 'def']] },
  ],
  ['remove a member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
  [
    'remove an element',
    { foo: ['bar', 'qux', 'baz'] },
    [{ op: 'remove', path: '/foo/1' }],
    { foo: ['bar', 'baz'] },
  ],
  [
    'replace a value',
    { baz: 'qux', foo: 'bar' },
    [{ op: 'replace', path: '/baz', value: 'boo' }],
    { baz: 'boo', foo: 'bar' },
  ],
  ['replace the whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 }],
  [
    'move a value',
    { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  ],
  [
    'move an element',
    { foo: ['all', 'grass', 'cows', 'eat'] },
    [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    { foo: ['all', 'cows', 'eat', 'grass'] },
  ],
  ['copy a value', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
  [
    'test then change',
    { baz: 'qux', foo: ['a', 2, 'c'] },
    [
      { op: 'test', path: '/foo', value: ['a', 2, 'c'] },
      { op: 'add', path: '/x', value: 1 },
    ],
    { baz: 'qux', foo: ['a', 2, 'c'], x: 1 },
  ],
  [
    'escaped pointer tokens',
    { 'a/b': 1, 'm~n': 2 },
    [
      { op: 'replace', path: '/a~1b', value: 3 },
      { op: 'remove', path: '/m~0n' },
    ],
    { 'a/b': 3 },
  ],
  [
    'a label key with a slash',
    { metadata: { labels: {} } },
    [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'x' }],
    { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } },
  ],
  [
    '__proto__ is a plain member',
    {},
    [{ op: 'add', path: '/__proto__', value: { polluted: true } }],
    JSON.parse('{"__proto__":{"polluted":true}}'),
  ],
];

for (const [name, document, patch, expected] of applies) {
  test(`JSON patch: ${name}`, () => {
    const before = structuredClone(document);
    assert.deepEqual(applyJsonPatch(document, parseJsonPatch(patch)), expected);
    assert.deepEqual(document, before, 'the document given is not changed');
  });
}

const failures: [string, unknown, unknown[], RegExp][] = [
  [
    'a failed test',
    { baz: 'qux' },
    [{ op: 'test', path: '/baz', value: 'bar' }],
    /operation 0 \(test \/baz\): test failed/,
  ],
  ['a missing member to remove', { a: 1 }, [{ op: 'remove', path: '/b' }], /no member "b"/],
  ['replace of a missing member', { a: 1 }, [{ op: 'replace', path: '/b', value: 1 }], /no member "b"/],
  ['add under a missing parent', { q: { bar: 2 } }, [{ op: 'add', path: '/a/b', value: 1 }], /no member "a"/],
  ['an index past the end', { a: [1] }, [{ op: 'add', path: '/a/2', value: 1 }], /past the end/],
  ['a non-numeric index', { a: [1] }, [{ op: 'replace', path: '/a/x', value: 1 }], /not an array index/],
  ['a leading zero index', { a: [1, 2] }, [{ op: 'remove', path: '/a/01' }], /not an array index/],
  [
    'a move into its own child',
    { a: { b: 1 } },
    [{ op: 'move', from: '/a', path: '/a/b/c' }],
    /its own children/,
  ],
  [
    'the second operation fails after the first applied',
    { a: 1 },
    [
      { op: 'add', path: '/b', value: 2 },
      { op: 'remove', path: '/c' },
    ],
    /operation 1/,
  ],
];

for (const [name, document, patch, message] of failures) {
  test(`JSON patch refuses ${name}`, () => {
    const before = structuredClone(document);
    assert.throws(
      () => applyJsonPatch(document, parseJsonPatch(patch)),
      (error: unknown) => {
        assert.ok(error instanceof JsonPatchError);
        assert.match(error.message, message);
        return true;
      },
    );
    assert.deepEqual(document, before);
  });
}

const malformed: [string, unknown, RegExp][] = [
  ['an object instead of an array', { op: 'add' }, /must be an array/],
  ['an unknown op', [{ op: 'merge', path: '/a' }], /"op" must be one of/],
  ['a path without a slash', [{ op: 'remove', path: 'a' }], /not a JSON pointer/],
  ['add without a value', [{ op: 'add', path: '/a' }], /needs a "value"/],
  ['move without from', [{ op: 'move', path: '/a' }], /"from" must be a string/],
  ['a bad escape', [{ op: 'remove', path: '/a~2' }], /must be followed by 0 or 1/],
  ['an operation that is not an object', ['add'], /must be an object/],
];

for (const [name, patch, message] of malformed) {
  test(`JSON patch syntax: ${name}`, () => {
    assert.throws(
      () => parseJsonPatch(patch),
      (error: unknown) => {
        assert.ok(error instanceof JsonPatchSyntaxError);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('a null value is a value (add sets null, test compares it)', () => {
  const patched = applyJsonPatch({ a: 1 }, parseJsonPatch([{ op: 'add', path: '/a', value: null }]));
  assert.deepEqual(patched, { a: null });
  assert.doesNotThrow(() =>
    applyJsonPatch(patched, parseJsonPatch([{ op: 'test', path: '/a', value: null }])),
  );
});
