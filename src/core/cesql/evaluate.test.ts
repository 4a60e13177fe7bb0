// Evaluation semantics: missing attributes, error propagation, short-circuiting, the predicate form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../cloudevents/model.js';
import { CesqlError, compileCesql, compileCesqlPredicate, FunctionRegistry } from './index.js';
import type { CesqlResult } from './index.js';

const EVENT: CloudEvent = Object.freeze({
  attributes: Object.freeze({ specversion: '1.0', id: 'id1', source: 'src', type: 'com.example.a', seq: 5 }),
});

function run(expression: string, event: CloudEvent = EVENT): { value: unknown; errors: string[] } {
  const result = compileCesql(expression).evaluate(event);
  return { value: result.value, errors: result.errors.map((e) => e.kind) };
}

test('a missing attribute MUST evaluate to the zero value of the subexpression type with a MissingAttributeError', () => {
  assert.deepEqual(run("true AND (missing = '')"), { value: false, errors: ['missingAttribute'] });
  assert.deepEqual(run('missing * 5'), { value: 0, errors: ['missingAttribute'] });
  assert.deepEqual(run('1 / missing'), { value: 0, errors: ['missingAttribute'] });
  assert.deepEqual(run("CONCAT('a', missing)"), { value: '', errors: ['missingAttribute'] });
  assert.deepEqual(run("missing LIKE '%'"), { value: false, errors: ['missingAttribute'] });
  assert.deepEqual(run('missing IN (1, 2)'), { value: false, errors: ['missingAttribute'] });
});

test('a missing attribute whose type cannot be determined MUST be false', () => {
  assert.deepEqual(run('missing'), { value: false, errors: ['missingAttribute'] });
  assert.deepEqual(run('(subject)'), { value: false, errors: ['missingAttribute'] });
});

test('EXISTS MUST be true for the required attributes and never raises an error', () => {
  assert.deepEqual(run('EXISTS id AND EXISTS source AND EXISTS specversion AND EXISTS type'), {
    value: true,
    errors: [],
  });
  assert.deepEqual(run('EXISTS subject'), { value: false, errors: [] });
});

test('names that objects inherit are not attributes: constructor is missing unless the event has it', () => {
  assert.deepEqual(run('EXISTS constructor'), { value: false, errors: [] });
  assert.deepEqual(run("constructor = 'x'"), { value: false, errors: ['missingAttribute'] });
  const event = { attributes: { ...EVENT.attributes, constructor: 'x', tostring: 'y' } };
  assert.deepEqual(run("EXISTS constructor AND constructor = 'x' AND tostring LIKE 'y'", event), {
    value: true,
    errors: [],
  });
});

test('attributes keep their CloudEvents type: Integer and Boolean extensions are not strings', () => {
  const event = { attributes: { ...EVENT.attributes, count: 10, on: true, label: '10' } };
  assert.deepEqual(run('count + 1', event), { value: 11, errors: [] });
  assert.deepEqual(run('on AND TRUE', event), { value: true, errors: [] });
  assert.deepEqual(run('count = label', event), { value: true, errors: [] });
  assert.deepEqual(run("on = 'true'", event), { value: true, errors: [] });
  assert.deepEqual(run("on = 'TRUE'", event), { value: false, errors: [] });
  assert.deepEqual(run("'TRUE' = on", event), { value: true, errors: [] });
  assert.deepEqual(run("label = 'x'", event), { value: false, errors: [] });
  assert.deepEqual(run('label', event), { value: '10', errors: [] });
});

/** A registry with a Boolean TRACE(x) that records each call, to observe evaluation order. */
function tracing(): { functions: FunctionRegistry; calls: string[] } {
  const calls: string[] = [];
  const functions = new FunctionRegistry().define({
    name: 'TRACE',
    parameters: ['String', 'Boolean'],
    returns: 'Boolean',
    call: ([label, value]) => {
      calls.push(String(label));
      return value === true;
    },
  });
  return { functions, calls };
}

test('AND MUST be short-circuit evaluated: a false left operand leaves the right one unevaluated', () => {
  const { functions, calls } = tracing();
  const program = compileCesql("TRACE('a', FALSE) AND TRACE('b', TRUE) AND TRACE('c', TRUE)", { functions });
  assert.equal(program.evaluate(EVENT).value, false);
  assert.deepEqual(calls, ['a']);
});

test('OR MUST be short-circuit evaluated: a true left operand leaves the right one unevaluated', () => {
  const { functions, calls } = tracing();
  const program = compileCesql("TRACE('a', FALSE) OR TRACE('b', TRUE) OR TRACE('c', TRUE)", { functions });
  assert.equal(program.evaluate(EVENT).value, true);
  assert.deepEqual(calls, ['a', 'b']);
});

test('XOR evaluates every operand', () => {
  const { functions, calls } = tracing();
  const program = compileCesql("TRACE('a', TRUE) XOR TRACE('b', TRUE) XOR TRACE('c', TRUE)", { functions });
  assert.equal(program.evaluate(EVENT).value, true);
  assert.deepEqual(calls, ['a', 'b', 'c']);
});

test('an error stops evaluation: enclosing operators yield their zero value and nothing else runs', () => {
  const { functions, calls } = tracing();
  const program = compileCesql("(1 / 0 = 0) OR TRACE('after', TRUE)", { functions });
  const result = program.evaluate(EVENT);
  assert.deepEqual([result.value, result.errors.map((e) => e.kind)], [false, ['math']]);
  assert.deepEqual(calls, []);
  assert.deepEqual(run('missing != 2'), { value: false, errors: ['missingAttribute'] });
  assert.deepEqual(run('NOT (missing = 2)'), { value: false, errors: ['missingAttribute'] });
  assert.deepEqual(run("missing NOT LIKE 'a'"), { value: false, errors: ['missingAttribute'] });
  assert.deepEqual(run('-(1 / 0)'), { value: 0, errors: ['math'] });
  assert.deepEqual(run('missing + 1 / 0'), { value: 0, errors: ['missingAttribute'] });
});

test('the error list holds CesqlError objects with kind, message and position', () => {
  const expression = "type = 'com.example.a' AND\n  nope = 1";
  const [error] = compileCesql(expression).evaluate(EVENT).errors;
  assert.ok(error instanceof CesqlError);
  assert.equal(error.kind, 'missingAttribute');
  assert.equal(error.message, "cesql: missing attribute 'nope' at 2:3");
  assert.deepEqual(error.position, { offset: expression.indexOf('nope'), line: 2, column: 3 });
});

test('evaluation never mutates the input event (section 1)', () => {
  const attributes = { ...EVENT.attributes, ext: 'v' };
  const event = { attributes: Object.freeze(attributes) };
  compileCesql("UPPER(ext) = 'V' AND seq + 1 = 6 AND EXISTS ext AND type LIKE 'com.%'").evaluate(event);
  assert.deepEqual(event.attributes, { ...EVENT.attributes, ext: 'v' });
});

test('a compiled program is reusable: each evaluation starts with an empty error list', () => {
  const program = compileCesql("ext = 'x'");
  assert.deepEqual(program.evaluate(EVENT).errors.length, 1);
  const ok = program.evaluate({ attributes: { ...EVENT.attributes, ext: 'x' } });
  assert.deepEqual([ok.value, ok.errors], [true, []]);
  assert.deepEqual(program.evaluate(EVENT).errors.length, 1);
});

test('constant subexpressions are folded at compile time, yet errors are still reported on every evaluation', () => {
  const program = compileCesql('seq + (2 * 3) = 11 AND 5 / 0 = 0');
  for (let i = 0; i < 2; i++) {
    const result = program.evaluate(EVENT);
    assert.deepEqual([result.value, result.errors.map((e) => e.kind)], [false, ['math']]);
  }
});

test('a nested evaluation of the same program from a user-defined function keeps both results apart', () => {
  let depth = 0;
  let nested: CesqlResult | undefined;
  const functions = new FunctionRegistry().define({
    name: 'PROBE',
    parameters: [],
    returns: 'Integer',
    call: () => {
      if (depth++ === 0) nested = program.evaluate({ attributes: {} });
      return 1;
    },
  });
  const program = compileCesql('PROBE() = 1 AND x = 1', { functions });
  const outer = program.evaluate({ attributes: { x: 1 } });
  assert.deepEqual(outer, { value: true, errors: [] });
  assert.deepEqual([nested?.value, nested?.errors.map((e) => e.kind)], [false, ['missingAttribute']]);
});

test('predicate: a filter passes only on Boolean true without errors (section 1.2)', () => {
  const cases: ReadonlyArray<readonly [string, boolean]> = [
    ["type = 'com.example.a'", true],
    ["type = 'other'", false],
    ["type LIKE 'com.%' AND seq > 1", true],
    ["'true'", false],
    ['1', false],
    ['seq', false],
    ["TRUE OR missing = 'x'", true],
    ["missing = 'x' OR TRUE", false],
    ["missing != 'x'", false],
    ['1 / 0 = 0', false],
    ["LEFT(type, -1) = 'com.example.a'", false],
  ];
  for (const [expression, passes] of cases) {
    assert.equal(compileCesqlPredicate(expression)(EVENT), passes, expression);
  }
});

test('predicate: onError hears the first error of a failed evaluation, and only then', () => {
  const heard: CesqlError[] = [];
  const predicate = compileCesqlPredicate("ext = 'x'", { onError: (error) => heard.push(error) });
  assert.equal(predicate(EVENT), false);
  assert.equal(predicate({ attributes: { ...EVENT.attributes, ext: 'x' } }), true);
  assert.equal(predicate({ attributes: { ...EVENT.attributes, ext: 'y' } }), false);
  assert.deepEqual(
    heard.map((e) => [e.kind, e.message]),
    [['missingAttribute', "cesql: missing attribute 'ext' at 1:1"]],
  );
});
