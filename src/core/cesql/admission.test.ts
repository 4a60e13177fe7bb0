import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionRegistry } from './functions.js';
import { findUnknownFunction } from './admission.js';

const cases: { expression: string; expected: string | undefined }[] = [
  { expression: "type = 'x'", expected: undefined },
  { expression: "UPPER(type) = 'X' AND LENGTH(source) > 2", expected: undefined },
  { expression: "UPPR(type) = 'X'", expected: 'cesql: unknown function UPPR with 1 argument(s) at 1:1' },
  {
    expression: "type = 'x' OR (ABS(1, 2) = 1)",
    expected: 'cesql: unknown function ABS with 2 argument(s) at 1:16',
  },
  {
    expression: "type IN ('a', NOPE())",
    expected: 'cesql: unknown function NOPE with 0 argument(s) at 1:15',
  },
  {
    expression: 'NOT EXISTS subject AND -LEN(type) < 0',
    expected: 'cesql: unknown function LEN with 1 argument(s) at 1:25',
  },
];

for (const { expression, expected } of cases) {
  test(`admission: ${expression}`, () => {
    assert.equal(findUnknownFunction(expression), expected);
  });
}

test('admission accepts a user-defined function that is registered', () => {
  const registry = new FunctionRegistry().define({
    name: 'MYFN',
    parameters: ['String'],
    returns: 'Boolean',
    call: () => true,
  });
  assert.equal(findUnknownFunction('MYFN(type)', registry), undefined);
});
