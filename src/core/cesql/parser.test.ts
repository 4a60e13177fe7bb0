// Table tests for the lexer and parser: error messages with positions, precedence, case rules, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CesqlError, compileCesql } from './index.js';
import type { CesqlValue } from './index.js';
import { parse } from './parser.js';

const EVENT = { attributes: { specversion: '1.0', id: 'id1', source: 'src', type: 'com.example', myint: 7 } };

function valueOf(expression: string): CesqlValue {
  return compileCesql(expression).evaluate(EVENT).value;
}

const PARSE_ERRORS: ReadonlyArray<readonly [expression: string, message: string]> = [
  ['', 'cesql: expected an expression at 1:1, found end of input'],
  ['   ', 'cesql: expected an expression at 1:4, found end of input'],
  ['ABC(', "cesql: expected an expression or ')' at 1:5, found end of input"],
  ['ABC(1,', 'cesql: expected an expression at 1:7, found end of input'],
  ['ABC(1 2)', "cesql: expected ',' or ')' at 1:7, found '2'"],
  ['(type = "x"', "cesql: expected ')' at 1:12, found end of input"],
  ['LENGTH(type) = (3 + 4 * (2 - 1)', "cesql: expected ')' at 1:32, found end of input"],
  ['1 +\n  (2', "cesql: expected ')' at 2:5, found end of input"],
  ['1 2', "cesql: expected an operator or the end of the expression at 1:3, found '2'"],
  ['type = ', 'cesql: expected an expression at 1:8, found end of input'],
  ['type = )', "cesql: expected an expression at 1:8, found ')'"],
  ['x LIKE 123', "cesql: expected a string literal as the LIKE pattern at 1:8, found '123'"],
  ['x LIKE y', "cesql: expected a string literal as the LIKE pattern at 1:8, found 'y'"],
  ["x IN 'a'", "cesql: expected '(' to open the IN set at 1:6, found string literal 'a'"],
  ['x IN ()', "cesql: expected an expression at 1:7, found ')'"],
  ['x IN (1, 2', "cesql: expected ',' or ')' at 1:11, found end of input"],
  ['x NOT y', "cesql: expected LIKE or IN after NOT at 1:7, found 'y'"],
  ['EXISTS', 'cesql: expected an attribute name after EXISTS at 1:7, found end of input'],
  ['EXISTS 1', "cesql: expected an attribute name after EXISTS at 1:8, found '1'"],
  ["'abc", `cesql: expected "'" to end the string literal at 1:5, found end of input`],
  ['"abc\\"', `cesql: expected '"' to end the string literal at 1:7, found end of input`],
  ['a $ b', "cesql: unexpected character '$' at 1:3"],
  ['a ! b', "cesql: expected '=' after '!' at 1:4, found ' '"],
  ['a == b', "cesql: expected an expression at 1:4, found '='"],
  ['2147483648', 'cesql: integer literal 2147483648 is out of the 32-bit range at 1:1'],
  ['-2147483649', 'cesql: integer literal -2147483649 is out of the 32-bit range at 1:1'],
  ['my_ext = 1', "cesql: invalid attribute name 'my_ext' (letters and digits only) at 1:1"],
  ['F2(1)', "cesql: invalid function name 'F2' (a letter, then letters and '_') at 1:1"],
  ['+ 5', "cesql: expected an expression at 1:1, found '+'"],
  // Columns count code points: the emoji is one column.
  ["'😀' = x $", "cesql: unexpected character '$' at 1:9"],
];

for (const [expression, message] of PARSE_ERRORS) {
  test(`parse error names the position and what was expected: ${JSON.stringify(expression)}`, () => {
    assert.throws(
      () => compileCesql(expression),
      (error: unknown) => {
        assert.ok(error instanceof CesqlError);
        assert.equal(error.kind, 'parse');
        assert.equal(error.message, message);
        return true;
      },
    );
  });
}

test('a parse error carries its position as data', () => {
  try {
    compileCesql('a AND\n  (b');
    assert.fail('expected a parse error');
  } catch (error) {
    assert.ok(error instanceof CesqlError);
    assert.deepEqual(error.position, { offset: 10, line: 2, column: 5 });
  }
});

test('a non-string expression is a parse error, not a crash', () => {
  assert.throws(() => compileCesql(42 as unknown as string), { name: 'CesqlError', kind: 'parse' });
});

const PRECEDENCE: ReadonlyArray<readonly [expression: string, value: CesqlValue]> = [
  ['4 * 2 + 4 / 2', 10],
  ['2 + 3 * 4 - 1', 13],
  ['10 - 4 - 3', 3],
  ['100 / 10 / 5', 2],
  ['2 * 3 % 4', 2],
  ['1 + 2 = 3', true],
  ['1 < 2 = TRUE', true],
  // Section 3.6: AND, OR and XOR share one precedence level and MUST be evaluated left to right.
  ['TRUE OR TRUE AND FALSE', false],
  ['FALSE AND TRUE OR TRUE', true],
  ['TRUE XOR TRUE OR TRUE', true],
  ['TRUE OR FALSE XOR TRUE', false],
  // Unary operators bind tighter than LIKE, IN and every binary operator (section 3.6).
  ["NOT FALSE LIKE 'tr%'", true],
  ["NOT 'true' = FALSE", true],
  ['-myint * 2', -14],
  ['- 3 - 2', -5],
  ['--3', 3],
  ['NOT NOT TRUE', true],
  ['-2147483648', -2147483648],
  ['+5', 5],
  ['3 -2', 1],
  // LIKE and IN bind tighter than the binary operators.
  ["1 + 'ab' LIKE 'a%'", 2],
  ['1 + myint IN (7)', 2],
  ['TRUE IN (TRUE) IN (TRUE)', true],
  ['(1 + 2) * 3', 9],
  ["type LIKE 'com.%' AND NOT EXISTS subject", true],
  ['myint NOT IN (1, 2) AND myint IN (7)', true],
];

for (const [expression, value] of PRECEDENCE) {
  test(`precedence (section 3.6): ${expression}`, () => {
    assert.equal(valueOf(expression), value);
  });
}

test('keywords and function names are case-insensitive (section 2)', () => {
  assert.equal(valueOf("int('5') < 10 and true Or FaLsE"), true);
  assert.equal(valueOf("Upper(type) LiKe 'COM.%'"), true);
  assert.equal(valueOf('exists ID'), true);
  assert.equal(valueOf('2 In (1, 2) xor not TRUE'), true);
});

test('attribute names are case-insensitive: SOURCE reads source', () => {
  assert.equal(valueOf('SOURCE'), 'src');
  assert.equal(valueOf('MyInt + 1'), 8);
});

test('whitespace between tokens is space, tab, CR or LF, and a function name may be followed by space', () => {
  assert.equal(valueOf("\tLENGTH ( 'abc' )\r\n= 3 "), true);
});

test('string literals: both quote styles, escaped delimiters, other backslashes kept (section 2.2)', () => {
  assert.equal(valueOf(`'it\\'s'`), "it's");
  assert.equal(valueOf(`"say \\"hi\\""`), 'say "hi"');
  assert.equal(valueOf(`'a"b'`), 'a"b');
  assert.equal(valueOf(`"a'b"`), "a'b");
  assert.equal(valueOf(`'a\\%b'`), 'a\\%b');
  assert.equal(valueOf(`'tab\\there'`), 'tab\\there');
  assert.equal(valueOf(`''`), '');
});

test('runs of AND or OR are flattened, so a long run does not nest', () => {
  // 350 terms, deeper than MAX_DEPTH if they nested, in under MAX_EXPRESSION_LENGTH characters.
  const expression = Array.from({ length: 350 }, (_, i) => `1!=${i + 100}`).join(' AND ');
  const tree = parse(expression);
  assert.equal(tree.kind, 'logic');
  assert.equal(tree.kind === 'logic' ? tree.operands.length : 0, 350);
  assert.equal(valueOf(expression), true);
});

test('deep nesting is a parse error, not a stack overflow', () => {
  assert.throws(() => compileCesql(`${'('.repeat(2000)}1${')'.repeat(2000)}`), /nested too deeply/);
  assert.throws(() => compileCesql(`${'NOT '.repeat(1000)}TRUE`), /nested too deeply/);
  assert.throws(() => compileCesql(Array.from({ length: 1000 }, () => '1').join(' + ')), /nested too deeply/);
  assert.equal(valueOf(Array.from({ length: 200 }, () => '1').join(' + ')), 200);
});

test('an expression past 4096 characters and a LIKE pattern past 256 code points are parse errors', () => {
  assert.throws(
    () => compileCesql(`type = '${'x'.repeat(4096)}'`),
    /expression too long: 4105 characters, at most 4096/,
  );
  assert.throws(
    () => compileCesql(`type LIKE '${'😀'.repeat(257)}'`),
    /LIKE pattern too long: 257 characters, at most 256/,
  );
  assert.equal(valueOf(`'${'😀'.repeat(256)}' LIKE '${'_'.repeat(256)}'`), true);
  const like = `type LIKE '${'%'.repeat(200)}'`;
  assert.throws(
    () => compileCesql([like, like, like].join(' OR ')),
    /LIKE patterns too long: 600 characters in all, at most 512/,
  );
});
