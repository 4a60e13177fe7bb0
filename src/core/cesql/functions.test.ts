// Table tests for casts (section 3.7), built-in functions (section 3.5) and user-defined functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCesql, FunctionRegistry } from './index.js';
import type { CesqlErrorKind, CesqlFunction, CesqlValue } from './index.js';
import { isUnicodeWhiteSpace } from './builtins.js';

const EVENT = {
  attributes: { specversion: '1.0', id: 'id1', source: 'src', type: 't', num: 42, flag: true, text: 'Hello' },
};

type Row = readonly [
  expression: string,
  value: CesqlValue,
  error?: CesqlErrorKind | readonly CesqlErrorKind[],
];

function check(rows: readonly Row[], functions?: FunctionRegistry): void {
  for (const [expression, value, error] of rows) {
    const errors = error === undefined ? [] : typeof error === 'string' ? [error] : error;
    test(`${expression} is ${JSON.stringify(value)}${errors.length ? ` with errors ${errors.join(', ')}` : ''}`, () => {
      const result = compileCesql(expression, { functions }).evaluate(EVENT);
      assert.deepEqual({ value: result.value, errors: result.errors.map((e) => e.kind) }, { value, errors });
    });
  }
}

// Section 3.7, explicit casts and the implicit casts of operators.
check([
  ["INT('+12')", 12],
  ["INT('-0')", 0],
  ["INT('007')", 7],
  ["INT('2147483647')", 2147483647],
  ["INT('-2147483648')", -2147483648],
  ["INT('2147483648')", 0, 'cast'],
  ["INT(' 1')", 0, 'cast'],
  ["INT('1.5')", 0, 'cast'],
  ["INT('')", 0, 'cast'],
  ["INT('0x10')", 0, 'cast'],
  ['INT(num)', 42],
  ['INT(flag)', 1],
  ["BOOL('True')", true],
  ["BOOL('FALSE')", false],
  ["BOOL('yes')", false, 'cast'],
  ["BOOL('1')", false, 'cast'],
  ['BOOL(0)', false],
  ['BOOL(-1)', true],
  ['STRING(-2147483648)', '-2147483648'],
  ['STRING(0)', '0'],
  ['STRING(flag)', 'true'],
  ['STRING(num)', '42'],
  ["TRUE = 'true' AND FALSE = 'false'", true],
  ["TRUE = 'TRUE' OR FALSE = 'FALSE'", false],
  ["'TRUE' = TRUE", true],
  ["num = '42'", true],
  ["'42' = num", true],
  ["'042' = num", true],
  ["'x' = num", false, 'cast'],
  ["num = 'x'", false],
  ["num < '50'", true],
  ["'a' < 'b'", false, 'cast'],
  ['flag = 1', true],
  ['flag + 1', 2],
  ['text + 1', 0, 'cast'],
  ['NOT num', false],
  ["NOT 'maybe'", false, 'cast'],
  ['-flag', -1],
  ["num IN ('42', 'x')", false, 'cast'],
  ["num IN ('41', '42')", true],
  ["'42' IN (num, 1)", true],
  ["flag IN ('TRUE')", true],
  ["text IN ('hello', 'Hello')", true],
  ["1 IN (1, 'x')", false, 'cast'],
  ["text NOT IN ('a', 'b')", true],
  ['missing NOT IN (1)', false, 'missingAttribute'],
]);

// Integer arithmetic: 32 bits, overflow is a MathError with the result clamped (as section 3.5.2 does for ABS).
check([
  ['2147483647 + 1', 2147483647, 'math'],
  ['-2147483648 - 1', -2147483648, 'math'],
  ['65536 * 65536', 2147483647, 'math'],
  ['-65536 * 65536', -2147483648, 'math'],
  ['-2147483648 / -1', 2147483647, 'math'],
  ['-2147483648 % -1', 0],
  ['-(-2147483648)', 2147483647, 'math'],
  ['- -2147483648', 2147483647, 'math'],
  ['-7 / 2', -3],
  ['7 / -2', -3],
  ['-7 % 3', -1],
  ['7 % -3', 1],
  ['0 / -5', 0],
  ['-0', 0],
  ['ABS(-2147483647)', 2147483647],
  ['ABS(num)', 42],
  ['ABS(-2147483648)', 2147483647, 'math'],
]);

// Section 3.5.1 string functions; characters are code points.
check([
  ["LENGTH('😀x')", 2],
  ["LENGTH('é')", 1],
  ['LENGTH(num)', 2],
  ["CONCAT('a', 1, TRUE)", 'a1true'],
  ["CONCAT_WS('-', 'a', num, 'c')", 'a-42-c'],
  ["CONCAT_WS('', 'a', 'b')", 'ab'],
  ["LOWER('ÀÉÎ')", 'àéî'],
  ["UPPER('straße')", 'STRASSE'],
  ['UPPER(flag)', 'TRUE'],
  ["TRIM('\t\n a b \r')", 'a b'],
  ["TRIM('')", ''],
  ["TRIM('   ')", ''],
  ["LEFT('😀😁😂', 2)", '😀😁'],
  ["LEFT('abc', 0)", ''],
  ["LEFT('abc', 3)", 'abc'],
  ["RIGHT('😀😁😂', 2)", '😁😂'],
  ["RIGHT('abc', 0)", ''],
  ["RIGHT('abc', -1)", 'abc', 'functionEvaluation'],
  ["LEFT('abc', 'x')", '', 'cast'],
  ["SUBSTRING('abcdef', 6)", 'f'],
  ["SUBSTRING('abcdef', 7)", '', 'functionEvaluation'],
  ["SUBSTRING('abcdef', -6)", 'abcdef'],
  ["SUBSTRING('abcdef', -7)", '', 'functionEvaluation'],
  ["SUBSTRING('abcdef', 3, 0)", ''],
  ["SUBSTRING('abcdef', 3, 100)", 'cdef'],
  ["SUBSTRING('abcdef', -2, 1)", 'e'],
  ["SUBSTRING('abcdef', 2, -1)", '', 'functionEvaluation'],
  ["SUBSTRING('😀😁😂', 2, 1)", '😁'],
  ["SUBSTRING('😀😁😂', -1)", '😂'],
  ["SUBSTRING('', 0)", ''],
  ["SUBSTRING('', 1)", '', 'functionEvaluation'],
  ['SUBSTRING(text, 2, 3)', 'ell'],
  ['LENGTH(missing)', 0, 'missingAttribute'],
  ["LENGTH('abc', 'd')", false, 'missingFunction'],
  ["NOSUCH('abc')", false, 'missingFunction'],
  // An error inside an argument propagates: the outer function is not called and yields its zero value.
  ["LENGTH(LEFT('abc', -1))", 0, 'functionEvaluation'],
  ["UPPER(SUBSTRING('abc', 9))", '', 'functionEvaluation'],
]);

test('TRIM removes exactly the Unicode White_Space characters (section 3.5.1), unlike String.prototype.trim', () => {
  const whiteSpace = /^\p{White_Space}$/u;
  for (let code = 0; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    assert.equal(
      isUnicodeWhiteSpace(code),
      whiteSpace.test(String.fromCharCode(code)),
      `U+${code.toString(16)}`,
    );
  }
  const trim = compileCesql('TRIM(text)');
  assert.equal(trim.evaluate({ attributes: { text: '\u0085a\u0085' } }).value, 'a');
  assert.equal(trim.evaluate({ attributes: { text: '\ufeffa\u0001' } }).value, '\ufeffa\u0001');
});

const HAS_SUFFIX: CesqlFunction = {
  name: 'has_suffix',
  parameters: ['String', 'String'],
  returns: 'Boolean',
  call: ([text, suffix]) => String(text).endsWith(String(suffix)),
};

const udfs = new FunctionRegistry()
  .define(HAS_SUFFIX)
  .define({
    name: 'JOIN',
    parameters: ['String', 'String'],
    variadic: 'Any',
    returns: 'String',
    call: (a) => a.join('|'),
  })
  .define({ name: 'TWICE', parameters: ['Integer'], returns: 'Integer', call: ([n]) => Number(n) * 2 })
  .define({
    name: 'CHECKED',
    parameters: ['Integer'],
    returns: 'Integer',
    call: ([n], context) => {
      if (Number(n) < 0) context.error('negative input', 'math');
      return Math.abs(Number(n));
    },
  })
  .define({
    name: 'THROWS',
    parameters: [],
    returns: 'String',
    call: () => {
      throw new Error('boom');
    },
  })
  .define({ name: 'WRONG', parameters: [], returns: 'Integer', call: () => 'not a number' })
  .define({ name: 'HUGE', parameters: [], returns: 'Integer', call: () => 2 ** 40 })
  .define({
    name: 'BAD_ERROR',
    parameters: [],
    returns: 'Boolean',
    call: (_a, context) => {
      context.error('gave up');
      return undefined as unknown as boolean;
    },
  });

// User-defined functions: arguments are cast to the declared types; section 3.5.3 for misbehaving ones.
check(
  [
    ["HAS_SUFFIX(type, 't')", true],
    ["has_suffix(num, '2')", true],
    ["JOIN('a', 'b')", 'a|b'],
    ["JOIN('a', 'b', 1, TRUE)", 'a|b|1|true'],
    ["JOIN('a')", false, 'missingFunction'],
    ["TWICE('21')", 42],
    ['TWICE(flag)', 2],
    ['TWICE(text)', 0, 'cast'],
    ['CHECKED(-5)', 5, 'math'],
    ['CHECKED(5)', 5],
    ['THROWS()', '', 'functionEvaluation'],
    ['WRONG()', 0, 'functionEvaluation'],
    ['HUGE()', 0, 'functionEvaluation'],
    // It reported an error and returned no valid value: its error, then the engine's (section 3.5.3).
    ['BAD_ERROR()', false, ['functionEvaluation', 'functionEvaluation']],
    ["LENGTH('abc') = 3", true],
  ],
  udfs,
);

test('a registry without built-ins resolves only what is defined in it', () => {
  const bare = new FunctionRegistry({ builtins: false }).define(HAS_SUFFIX);
  const result = compileCesql("LENGTH('a')", { functions: bare }).evaluate(EVENT);
  assert.deepEqual(
    result.errors.map((e) => e.kind),
    ['missingFunction'],
  );
  assert.equal(compileCesql("HAS_SUFFIX('ab', 'b')", { functions: bare }).evaluate(EVENT).value, true);
});

test('functions are resolved at compile time: a later definition does not change a compiled program', () => {
  const registry = new FunctionRegistry();
  const program = compileCesql('LATER()', { functions: registry });
  registry.define({ name: 'LATER', parameters: [], returns: 'Boolean', call: () => true });
  assert.equal(program.evaluate(EVENT).errors[0]?.kind, 'missingFunction');
  assert.equal(compileCesql('LATER()', { functions: registry }).evaluate(EVENT).value, true);
});

const string = (name: string, parameters: number, variadic = false): CesqlFunction => ({
  name,
  parameters: Array.from({ length: parameters }, () => 'String' as const),
  ...(variadic ? { variadic: 'String' as const } : {}),
  returns: 'String',
  call: () => '',
});

test('section 3.5 overloading rules: the engine MUST reject an invalid set of definitions', () => {
  assert.throws(() => new FunctionRegistry().define(string('LENGTH', 1)), /already defined/);
  assert.throws(() => new FunctionRegistry().define(string('CONCAT', 1)), /clashes with the variadic/);
  assert.throws(() => new FunctionRegistry().define(string('CONCAT', 2, true)), /already has a variadic/);
  const abc = new FunctionRegistry().define(string('ABC', 3));
  assert.throws(() => abc.define(string('ABC', 0, true)), /needs more than 3 fixed parameters/);
  assert.throws(() => abc.define(string('ABC', 3, true)), /needs more than 3 fixed parameters/);
  abc
    .define(string('ABC', 4, true))
    .define(string('ABC', 1))
    .define(string('ABC', 2));
  assert.throws(() => abc.define(string('ABC', 5)), /clashes with the variadic/);
  assert.throws(() => new FunctionRegistry().define(string('A1', 1)), /invalid function name/);
  assert.throws(() => new FunctionRegistry().define(string('_A', 1)), /invalid function name/);
  assert.throws(
    () => new FunctionRegistry().define({ ...string('X', 1), returns: 'Any' as 'String' }),
    /return type must be/,
  );
  assert.throws(
    () => new FunctionRegistry().define({ ...string('X', 0), parameters: ['Number' as 'String'] }),
    /parameter types must be/,
  );
});

test('SUBSTRING dispatches on arity; built-in names may gain overloads of another arity', () => {
  const registry = new FunctionRegistry().define({
    name: 'LENGTH',
    parameters: ['String', 'String'],
    returns: 'Integer',
    call: ([a, b]) => String(a).length + String(b).length,
  });
  assert.equal(
    compileCesql("LENGTH('ab', 'c') + LENGTH('x')", { functions: registry }).evaluate(EVENT).value,
    4,
  );
});

test('error messages name the function, the problem and the position', () => {
  const errors = compileCesql("TRUE AND LEFT('abc', -2) = 'abc'").evaluate(EVENT).errors;
  assert.deepEqual(
    errors.map((e) => [e.kind, e.message]),
    [['functionEvaluation', 'cesql: LEFT: length -2 is negative at 1:10']],
  );
  const missing = compileCesql('CONCAT_WS()').evaluate(EVENT).errors[0];
  assert.equal(missing?.message, 'cesql: no definition of CONCAT_WS takes 0 arguments at 1:1');
  const cast = compileCesql('1 + INT(text)').evaluate(EVENT).errors[0];
  assert.equal(cast?.message, "cesql: INT: cannot cast 'Hello' to Integer at 1:5");
});
