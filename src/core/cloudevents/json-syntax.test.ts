import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateJsonSyntaxError } from './json-syntax.js';
import { isIntegerLiteral, numberMembers } from './json-literals.js';

test('locateJsonSyntaxError finds the first error with line and column', () => {
  const rows: [text: string, reason: RegExp, line: number, column: number][] = [
    ['', /expected a JSON value/, 1, 1],
    ['{', /member name/, 1, 2],
    ['{"a" 1}', /expected ':'/, 1, 6],
    ['{"a":1,}', /member name/, 1, 8],
    ['[1 2]', /expected ',' or ']'/, 1, 4],
    ['{\n"a": [1,\n  2,, 3]}', /expected a JSON value/, 3, 5],
    ['"abc', /unterminated string/, 1, 5],
    ['"a\tb"', /control character/, 1, 3],
    ['"\\x"', /invalid escape/, 1, 3],
    ['"\\u12g4"', /invalid \\u escape/, 1, 3],
    ['01', /after the JSON value/, 1, 2],
    ['-', /expected a digit/, 1, 2],
    ['1.', /after '\.'/, 1, 3],
    ['1e', /exponent/, 1, 3],
    ['nul', /expected a JSON value/, 1, 1],
    ['{} x', /unexpected 'x'/, 1, 4],
  ];
  for (const [text, reason, line, column] of rows) {
    const where = locateJsonSyntaxError(text);
    assert.ok(where, text);
    assert.match(where.reason, reason, text);
    assert.deepEqual([where.line, where.column], [line, column], text);
  }
});

test('locateJsonSyntaxError accepts what JSON.parse accepts', () => {
  for (const text of [
    '{}',
    ' [ ] ',
    '{"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n"]}',
    '"x"',
    '0',
    '-0.0E-0',
  ]) {
    JSON.parse(text);
    assert.equal(locateJsonSyntaxError(text), undefined, text);
  }
});

test('numberMembers lists the number members of the event objects only', () => {
  const text = '{"a": 1.0, "s": "x:1", "o": {"n": 2}, "esc\\"": -3e2, "data": 4}';
  assert.deepEqual(numberMembers(text, 1), [
    { event: 0, name: 'a', literal: '1.0' },
    { event: 0, name: 'esc"', literal: '-3e2' },
    { event: 0, name: 'data', literal: '4' },
  ]);
  assert.deepEqual(numberMembers('[{"a":1},{"b":[2]},{"c" : 3.5}]', 2), [
    { event: 0, name: 'a', literal: '1' },
    { event: 2, name: 'c', literal: '3.5' },
  ]);
});

test('isIntegerLiteral: only the integer component, optionally with a minus sign', () => {
  for (const ok of ['0', '-0', '7', '-2147483648']) assert.equal(isIntegerLiteral(ok), true, ok);
  for (const bad of ['1.0', '1e1', '01', '+1', '-', '']) assert.equal(isIntegerLiteral(bad), false, bad);
});
