import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../../core/errors.js';
import { parseJson } from './body.js';
import { findJsonSyntaxError } from './json-error.js';

const valid = ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0', '-0.1'];
for (const text of valid) {
  test(`valid JSON ${JSON.stringify(text)} has no syntax error`, () => {
    assert.equal(findJsonSyntaxError(text), undefined);
  });
}

const invalid: [text: string, position: number, line: number, column: number][] = [
  ['{"a":}', 5, 1, 6],
  ['{', 1, 1, 2],
  ['{\n  "a": 1,\n}', 12, 3, 1],
  ['[1 2]', 3, 1, 4],
  ['nul', 0, 1, 1],
  ['{"a": 1} x', 9, 1, 10],
  ["{'a': 1}", 1, 1, 2],
  ['{"a": "b\\x"}', 8, 1, 9],
  ['{"a": 01}', 7, 1, 8],
  ['', 0, 1, 1],
  ['{"a": "unterminated', 19, 1, 20],
];
for (const [text, position, line, column] of invalid) {
  test(`invalid JSON ${JSON.stringify(text)} fails at position ${position}`, () => {
    const found = findJsonSyntaxError(text);
    assert.deepEqual(found && { position: found.position, line: found.line, column: found.column }, {
      position,
      line,
      column,
    });
  });
}

test('deep nesting is reported, not a stack overflow', () => {
  const text = '['.repeat(100_000);
  assert.match(findJsonSyntaxError(text)?.message ?? '', /nesting deeper/);
});

test('a bad JSON body is a bad request naming the position, line and column', () => {
  assert.throws(
    () => parseJson('{\n  "kind": "Broker",\n}'),
    (e: unknown) =>
      e instanceof MeshError &&
      e.code === 'MESH_REQUEST_INVALID' &&
      e.message.includes('position 22 (line 3, column 1)'),
  );
});
