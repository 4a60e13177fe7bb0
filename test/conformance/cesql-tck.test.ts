// The CESQL v1 TCK (cloudevents/spec cesql/cesql_tck), every case of every file, plus the sdk-go and
// sdk-java variants and user-defined-function cases. Read as data from the conformance directory
// (test/support/conformance.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CloudEvent } from '../../src/core/cloudevents/model.js';
import {
  CesqlError,
  compileCesql,
  compileCesqlPredicate,
  FunctionRegistry,
} from '../../src/core/cesql/index.js';
import type { CesqlValue } from '../../src/core/cesql/index.js';
import { conformancePath, conformanceRoot } from '../support/conformance.js';

const TCK_DIR = conformancePath('CESQL TCK', 'cloudevents-spec/cesql/cesql_tck');
const VARIANTS = [
  'sdk-go/sql/v2/test/tck/not_operator.yaml',
  'sdk-java/sql/src/test/resources/tck/not_operator.yaml',
  'sdk-java/sql/src/test/resources/tck/binary_logical_operators.yaml',
  'sdk-go/sql/v2/runtime/test/tck/user_defined_functions.yaml',
].map((path) => join(conformanceRoot, path));

interface TckCase {
  readonly name: unknown;
  readonly expression: unknown;
  readonly result?: CesqlValue;
  readonly error?: string;
  readonly event?: Record<string, unknown>;
  readonly eventOverrides?: Record<string, unknown>;
}

interface TckFile {
  readonly name: string;
  readonly tests: readonly TckCase[];
}

/**
 * The one documented deviation (the conformance data's README.md): the TCK expects `NOT 10` to be true with a
 * CastError, but CESQL v1 section 3.7 casts Integer to Boolean (0 is false, anything else true), so NOT 10
 * is false with no error, as the Go and Java SDKs also answer.
 */
const DEVIATIONS: ReadonlyMap<string, { readonly result: CesqlValue; readonly reason: string }> = new Map([
  [
    'not_operator.yaml: NOT 10',
    {
      result: false,
      reason: 'documented deviation: section 3.7 casts 10 to true, so NOT 10 is false, no error',
    },
  ],
]);

/** The user-defined functions the sdk-go UDF cases register. */
const udfs = new FunctionRegistry()
  .define({
    name: 'HASPREFIX',
    parameters: ['String', 'String'],
    returns: 'Boolean',
    call: ([text, prefix]) => String(text).startsWith(String(prefix)),
  })
  .define({
    name: 'KONKAT',
    parameters: [],
    variadic: 'String',
    returns: 'String',
    call: (args) => args.join(''),
  });

/** Any valid event will do when a case gives none (TCK README); the required attributes only. */
const BASE_EVENT = { specversion: '1.0', id: 'tck-id', source: 'tck/source', type: 'tck.type' };

function attributesOf(source: Record<string, unknown>): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'data' || key === 'data_base64') continue;
    // Typed overrides (`mybool: true`, `myint: 10`) are Boolean and Integer extension attributes.
    if (typeof value !== 'string' && typeof value !== 'boolean' && !Number.isInteger(value)) {
      throw new Error(`unexpected attribute value ${key}: ${JSON.stringify(value)}`);
    }
    attributes[key.toLowerCase()] = value as string | number | boolean;
  }
  return attributes;
}

function eventOf(testCase: TckCase): CloudEvent {
  return {
    attributes: attributesOf({ ...(testCase.event ?? BASE_EVENT), ...(testCase.eventOverrides ?? {}) }),
  };
}

function load(path: string): TckFile {
  // YAML 1.2: unquoted expressions such as TRUE or -10 load as booleans or numbers, hence String() below.
  return parseYaml(readFileSync(path, 'utf8')) as TckFile;
}

function runCase(file: string, testCase: TckCase, functions?: FunctionRegistry): void {
  const expression = String(testCase.expression);
  const deviation = DEVIATIONS.get(`${file}: ${expression}`);
  const label = `${String(testCase.name)} [${expression}]${deviation ? ` (${deviation.reason})` : ''}`;
  test(label, () => {
    if (testCase.error === 'parse') {
      assert.throws(
        () => compileCesql(expression, { functions }),
        (error: unknown) =>
          error instanceof CesqlError &&
          error.kind === 'parse' &&
          /^cesql: .+ at \d+:\d+/.test(error.message),
      );
      return;
    }
    const event = eventOf(testCase);
    const result = compileCesql(expression, { functions }).evaluate(event);
    const expected = deviation ? { value: deviation.result, errors: [] } : expectedOf(testCase);
    assert.deepEqual(
      { value: result.value, errors: result.errors.map((error) => error.kind) },
      expected,
      result.errors.map((error) => error.message).join('; '),
    );
    const passes = compileCesqlPredicate(expression, { functions })(event);
    assert.equal(passes, expected.value === true && expected.errors.length === 0);
  });
}

function expectedOf(testCase: TckCase): { value: CesqlValue | undefined; errors: string[] } {
  return { value: testCase.result, errors: testCase.error === undefined ? [] : [testCase.error] };
}

if (TCK_DIR !== undefined) {
  const tckFiles = readdirSync(TCK_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort();

  test('the CESQL TCK has its 18 files', () => {
    assert.equal(tckFiles.length, 18);
  });

  for (const fileName of tckFiles) {
    const file = load(join(TCK_DIR, fileName));
    describe(`TCK ${fileName}: ${file.name}`, () => {
      for (const testCase of file.tests) runCase(fileName, testCase);
    });
  }

  for (const path of VARIANTS) {
    const file = load(path);
    describe(`variant ${path.slice(conformanceRoot.length + 1)}: ${file.name}`, () => {
      for (const testCase of file.tests) runCase(path, testCase, udfs);
    });
  }
}
