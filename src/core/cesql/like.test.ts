// Table tests for LIKE patterns (section 3.4.3): anchoring, wildcards, escapes, code points, cost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileLike } from './like.js';

const ROWS: ReadonlyArray<readonly [pattern: string, text: string, matches: boolean]> = [
  ['abc', 'abc', true],
  ['abc', 'abcd', false],
  ['abc', 'xabc', false],
  ['', '', true],
  ['', 'a', false],
  ['%', '', true],
  ['%', 'anything', true],
  ['%%', 'x', true],
  ['_', '', false],
  ['_', 'a', true],
  ['_', 'ab', false],
  ['a%', 'a', true],
  ['a%', 'ba', false],
  ['%a', 'ba', true],
  ['%a', 'ab', false],
  ['%b%', 'abc', true],
  ['%b%', 'ac', false],
  ['a%c', 'ac', true],
  ['a%c', 'abbbc', true],
  ['a%c', 'abbbcd', false],
  ['a%a', 'a', false],
  ['ab%ba', 'aba', false],
  ['ab%ba', 'abba', true],
  ['%a%b%c%', 'xxaxxbxxcxx', true],
  ['%a%b%c%', 'xxcxxbxxaxx', false],
  ['a_c', 'abc', true],
  ['a_c', 'ac', false],
  ['_%_', 'a', false],
  ['_%_', 'ab', true],
  ['%_x_%', 'axb', true],
  ['%_x_%', 'xb', false],
  ['%a_c', 'xxabcabd', false],
  ['%a_c%', 'abdaxc', true],
  ['%ab_d%ef', 'zzabxdqqef', true],
  ['%ab_d%ef', 'zzabxdqqe', false],
  ['.%.%.', '.ab.cde.', true],
  ['.%.%.', 'ab.cde', false],
  // Escapes: \% and \_ are the literal characters; any other backslash is itself.
  ['a\\%b', 'a%b', true],
  ['a\\%b', 'axb', false],
  ['a\\_b', 'a_b', true],
  ['a\\_b', 'axb', false],
  ['ab\\c', 'ab\\c', true],
  ['a\\\\%', 'a\\%', true],
  ['a\\\\%', 'a\\x', false],
  ['100\\%%', '100% sure', true],
  ['%\\%', '50%', true],
  ['\\', '\\', true],
  // Case-sensitive, and `_` is one code point, also outside the Basic Multilingual Plane.
  ['ABC', 'abc', false],
  ['_', '😀', true],
  ['__', '😀', false],
  ['a_c', 'a😀c', true],
  ['%😀', 'x😀', true],
  ['😀%', '😀x', true],
  ['%_😀_%', 'a😁😀😂b', true],
  ['%😀_', 'x😀😀', true],
  ['é_', 'éé', true],
  ['a\nb', 'a\nb', true],
  ['a_b', 'a\nb', true],
  // Segments longer than one 32-bit word of the automaton.
  [`%${'a'.repeat(40)}_b%`, `${'a'.repeat(100)}xb`, true],
  [`%${'a'.repeat(40)}_b%`, 'a'.repeat(100), false],
  [`%${'_'.repeat(33)}z%`, `${'y'.repeat(33)}z`, true],
  [`%${'_'.repeat(33)}z%`, `${'y'.repeat(32)}z`, false],
  [`%${'ab_'.repeat(30)}%`, `x${'abz'.repeat(29)}ab`, false],
  [`%${'ab_'.repeat(30)}%`, `x${'abz'.repeat(30)}`, true],
];

for (const [pattern, text, matches] of ROWS) {
  test(`${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)} is ${matches}`, () => {
    assert.equal(compileLike(pattern)(text), matches);
  });
}

test('matching cost stays polynomial for patterns that make regular expressions backtrack', () => {
  const text = 'a'.repeat(20000);
  const started = performance.now();
  assert.equal(compileLike('%a%a%a%a%a%a%a%a%c%a')(text), false);
  assert.equal(compileLike('%a_a_a_c%a')(text), false);
  assert.equal(compileLike('a%a_a_a%a')(text), true);
  assert.ok(performance.now() - started < 1000);
});

/** The same pattern as an anchored regular expression: slow on some inputs, but obviously right. */
function reference(pattern: string): RegExp {
  let source = '';
  const points = Array.from(pattern);
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    const next = points[i + 1];
    if (point === '\\' && (next === '%' || next === '_')) {
      source += next;
      i++;
    } else if (point === '%') source += '[^]*';
    else if (point === '_') source += '[^]';
    else source += point.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

test('LIKE agrees with an anchored regular expression on random patterns and texts', () => {
  const letter = fc.constantFrom('a', 'b', '😀');
  const patternPart = fc.oneof(letter, fc.constantFrom('%', '_', '\\%', '\\_'));
  fc.assert(
    fc.property(
      fc.array(patternPart, { maxLength: 50 }).map((parts) => parts.join('')),
      fc.array(letter, { maxLength: 60 }).map((parts) => parts.join('')),
      (pattern, text) => compileLike(pattern)(text) === reference(pattern).test(text),
    ),
    { numRuns: 3000 },
  );
});
