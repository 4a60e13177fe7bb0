// The wiring of the engine into the `cesql` Trigger filter dialect (src/core/filters/cesql.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../cloudevents/model.js';
import { compileCesqlFilter, validateCesqlFilter } from '../filters/cesql.js';
import { compileTriggerFilter, validateTriggerFilters } from '../filters/index.js';
import { CesqlError } from './index.js';

const EVENT: CloudEvent = {
  attributes: {
    specversion: '1.0',
    id: 'e-1',
    source: 'http://example.com/source',
    type: 'com.example.a',
    n: 3,
  },
};

test('validation: an expression that compiles and calls only known functions is valid', () => {
  for (const expression of ["type = 'x'", 'TRUE', '1 + 1', "UPPER('x') = 'X'", 'missing']) {
    assert.equal(validateCesqlFilter(expression), undefined, expression);
  }
});

test('validation: a call no function can take is refused (it would never match)', () => {
  assert.equal(
    validateCesqlFilter("NOSUCH('x')"),
    'cesql: unknown function NOSUCH with 1 argument(s) at 1:1',
  );
});

test('validation: the message of an invalid expression is the parse error, with position and expectation', () => {
  assert.equal(
    validateCesqlFilter("type = 'x' AND"),
    'cesql: expected an expression at 1:15, found end of input',
  );
  assert.equal(validateCesqlFilter('(type'), "cesql: expected ')' at 1:6, found end of input");
  assert.equal(validateCesqlFilter(''), 'cesql: expected an expression at 1:1, found end of input');
});

test('validation: a value that is not a string is refused', () => {
  for (const value of [42, null, undefined, true, {}, ['TRUE']]) {
    assert.equal(validateCesqlFilter(value), 'must be a string holding a CESQL expression', String(value));
  }
});

test('a filter MUST NOT pass an event unless the result is Boolean true without errors (CESQL section 1.2)', () => {
  const rows: ReadonlyArray<readonly [string, boolean]> = [
    ["type = 'com.example.a'", true],
    ["type = 'com.example.b'", false],
    ["source LIKE 'http://%' AND n > 2", true],
    ["'true'", false],
    ['1', false],
    ['n', false],
    ["missing = 'x'", false],
    ["missing != 'x'", false],
    ["NOT (missing = 'x')", false],
    ['n / 0 = 0', false],
    ["NOSUCH('x')", false],
    ["TRUE OR missing = 'x'", true],
  ];
  for (const [expression, passes] of rows) {
    assert.equal(compileCesqlFilter(expression)(EVENT), passes, expression);
  }
});

test('an evaluation error means no match and is handed to onError', () => {
  const heard: Error[] = [];
  const predicate = compileCesqlFilter("ext = 'on'", (error) => heard.push(error));
  assert.equal(predicate(EVENT), false);
  assert.equal(predicate({ attributes: { ...EVENT.attributes, ext: 'on' } }), true);
  assert.equal(heard.length, 1);
  assert.ok(heard[0] instanceof CesqlError);
  assert.equal(heard[0].kind, 'missingAttribute');
  assert.equal(heard[0].message, "cesql: missing attribute 'ext' at 1:1");
});

test('compiling an expression that validation refuses throws the parse error', () => {
  assert.throws(() => compileCesqlFilter('type ='), { name: 'CesqlError', kind: 'parse' });
});

test('Trigger filters: cesql entries validate at their path and compile with the other dialects', () => {
  assert.deepEqual(validateTriggerFilters({ filters: [{ exact: { type: 't' } }, { cesql: 'type =' }] }), [
    { field: 'spec.filters[1].cesql', message: 'cesql: expected an expression at 1:7, found end of input' },
  ]);
  const errors: Error[] = [];
  const predicate = compileTriggerFilter(
    { filters: [{ prefix: { type: 'com.' } }, { any: [{ cesql: "subject = 'a'" }, { cesql: 'n = 3' }] }] },
    { onCesqlError: (error) => errors.push(error) },
  );
  assert.equal(predicate(EVENT), true);
  assert.deepEqual(
    errors.map((error) => error.message),
    ["cesql: missing attribute 'subject' at 1:1"],
  );
  assert.equal(predicate({ attributes: { ...EVENT.attributes, n: 4 } }), false);
});
