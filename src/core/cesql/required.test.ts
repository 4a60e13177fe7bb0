import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOnlyEquality, requiredAttributeValue } from './required.js';

const cases: { expression: string; type: string | undefined; source?: string }[] = [
  { expression: "type = 'a'", type: 'a' },
  { expression: "'a' = type", type: 'a' },
  { expression: "TYPE = 'a'", type: 'a' },
  { expression: "(type = 'a')", type: 'a' },
  { expression: "type = 'a' AND source = 's'", type: 'a', source: 's' },
  { expression: "subject = 'x' AND (type = 'a' AND id = '1')", type: 'a' },
  { expression: 'type = "it\'s"', type: "it's" },
  { expression: "type = ''", type: '' },
  { expression: "type = 'a' OR type = 'b'", type: undefined },
  { expression: "type = 'a' XOR true", type: undefined },
  { expression: "NOT (type = 'a')", type: undefined },
  { expression: "type != 'a'", type: undefined },
  { expression: "type <> 'a'", type: undefined },
  { expression: 'type = 1', type: undefined },
  { expression: 'type = TRUE', type: undefined },
  { expression: "type LIKE 'a'", type: undefined },
  { expression: "type IN ('a')", type: undefined },
  { expression: "LOWER(type) = 'a'", type: undefined },
  { expression: "type = source AND source = 's'", type: undefined, source: 's' },
  { expression: "(type = 'a') = TRUE", type: undefined },
  { expression: 'EXISTS type', type: undefined },
];

for (const { expression, type, source } of cases) {
  test(`requiredAttributeValue: ${expression}`, () => {
    assert.equal(requiredAttributeValue(expression, 'type'), type);
    if (source !== undefined || type === undefined)
      assert.equal(requiredAttributeValue(expression, 'source'), source);
  });
}

test('requiredAttributeValue throws on an expression that does not parse', () => {
  assert.throws(() => requiredAttributeValue("type = 'a", 'type'));
});

const onlyEquality: [expression: string, expected: boolean][] = [
  ["type = 'a'", true],
  ["'a' = type", true],
  ["(type = 'a')", true],
  ["TYPE = 'a'", true],
  ["type = 'b'", false],
  ["type = 'a' AND id <> ''", false],
  ["type = 'a' OR type = 'b'", false],
  ["source = 'a'", false],
  ['type = 1', false],
  ["type LIKE 'a'", false],
  ["NOT (type <> 'a')", false],
];

for (const [expression, expected] of onlyEquality) {
  test(`isOnlyEquality(type, 'a'): ${expression}`, () => {
    assert.equal(isOnlyEquality(expression, 'type', 'a'), expected);
  });
}
