/**
 * The built-in functions every CESQL engine MUST provide (CESQL v1 section 3.5.1 and 3.5.2), plus the casting
 * functions INT, BOOL and STRING that the TCK exercises (section 3.7 semantics).
 *
 * "Characters" are Unicode code points: a string with surrogate pairs is measured and cut by code point.
 */
import type { CesqlFunction } from './functions.js';
import { quoteValue } from './errors.js';
import { INT_MAX, INT_MIN, castToString, parseInteger } from './types.js';
import type { CesqlValue } from './types.js';

const SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of `s`, or undefined when every code point is one UTF-16 unit (then index directly). */
function codePoints(s: string): string[] | undefined {
  return SURROGATE.test(s) ? Array.from(s) : undefined;
}

export function lengthOf(s: string): number {
  return codePoints(s)?.length ?? s.length;
}

/** Code points `start` (inclusive) to `end` (exclusive) of `s`. */
function slice(s: string, start: number, end?: number): string {
  const points = codePoints(s);
  return points === undefined ? s.slice(start, end) : points.slice(start, end).join('');
}

/**
 * Unicode's White_Space property (PropList.txt), which section 3.5.1 names for TRIM. It differs from
 * String.prototype.trim: U+0085 is white space, U+FEFF is not.
 */
export function isUnicodeWhiteSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function trim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isUnicodeWhiteSpace(s.charCodeAt(start))) start++;
  while (end > start && isUnicodeWhiteSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** SUBSTRING(x, pos [, len]) of section 3.5.1; `fail` reports a FunctionEvaluationError. */
function substring(x: string, pos: number, len: number | undefined, fail: (message: string) => void): string {
  const length = lengthOf(x);
  if (pos > length || pos < -length) {
    fail(`position ${pos} is outside a string of length ${length}`);
    return '';
  }
  if (len !== undefined && len < 0) {
    fail(`length ${len} is negative`);
    return '';
  }
  if (pos === 0) return '';
  const start = pos > 0 ? pos - 1 : length + pos;
  return slice(x, start, len === undefined ? undefined : Math.min(length, start + len));
}

const str = (args: readonly CesqlValue[], i: number): string => args[i] as string;
const int = (args: readonly CesqlValue[], i: number): number => args[i] as number;

export const BUILTIN_FUNCTIONS: readonly CesqlFunction[] = [
  { name: 'LENGTH', parameters: ['String'], returns: 'Integer', call: (a) => lengthOf(str(a, 0)) },
  {
    name: 'CONCAT',
    parameters: [],
    variadic: 'String',
    returns: 'String',
    call: (a) => (a as readonly string[]).join(''),
  },
  {
    name: 'CONCAT_WS',
    parameters: ['String'],
    variadic: 'String',
    returns: 'String',
    call: (a) => (a as readonly string[]).slice(1).join(str(a, 0)),
  },
  { name: 'LOWER', parameters: ['String'], returns: 'String', call: (a) => str(a, 0).toLowerCase() },
  { name: 'UPPER', parameters: ['String'], returns: 'String', call: (a) => str(a, 0).toUpperCase() },
  { name: 'TRIM', parameters: ['String'], returns: 'String', call: (a) => trim(str(a, 0)) },
  {
    name: 'LEFT',
    parameters: ['String', 'Integer'],
    returns: 'String',
    call: (a, context) => {
      const x = str(a, 0);
      const y = int(a, 1);
      if (y < 0) {
        context.error(`length ${y} is negative`);
        return x;
      }
      return slice(x, 0, y);
    },
  },
  {
    name: 'RIGHT',
    parameters: ['String', 'Integer'],
    returns: 'String',
    call: (a, context) => {
      const x = str(a, 0);
      const y = int(a, 1);
      if (y < 0) {
        context.error(`length ${y} is negative`);
        return x;
      }
      const length = lengthOf(x);
      return y >= length ? x : slice(x, length - y);
    },
  },
  {
    name: 'SUBSTRING',
    parameters: ['String', 'Integer'],
    returns: 'String',
    call: (a, context) => substring(str(a, 0), int(a, 1), undefined, (m) => context.error(m)),
  },
  {
    name: 'SUBSTRING',
    parameters: ['String', 'Integer', 'Integer'],
    returns: 'String',
    call: (a, context) => substring(str(a, 0), int(a, 1), int(a, 2), (m) => context.error(m)),
  },
  {
    name: 'ABS',
    parameters: ['Integer'],
    returns: 'Integer',
    call: (a, context) => {
      const x = int(a, 0);
      // Section 3.5.2: the most negative Integer has no positive counterpart.
      if (x === INT_MIN) {
        context.error('integer overflow', 'math');
        return INT_MAX;
      }
      return Math.abs(x);
    },
  },
  {
    name: 'INT',
    parameters: ['Any'],
    returns: 'Integer',
    call: (a, context) => {
      const x = a[0] ?? 0;
      if (typeof x !== 'string') return typeof x === 'number' ? x : x ? 1 : 0;
      const n = parseInteger(x);
      if (n !== undefined) return n;
      context.error(`cannot cast ${quoteValue(x)} to Integer`, 'cast');
      return 0;
    },
  },
  {
    name: 'BOOL',
    parameters: ['Any'],
    returns: 'Boolean',
    call: (a, context) => {
      const x = a[0] ?? false;
      if (typeof x !== 'string') return typeof x === 'boolean' ? x : x !== 0;
      const lower = x.toLowerCase();
      if (lower === 'true' || lower === 'false') return lower === 'true';
      context.error(`cannot cast ${quoteValue(x)} to Boolean`, 'cast');
      return false;
    },
  },
  { name: 'STRING', parameters: ['Any'], returns: 'String', call: (a) => castToString(a[0] ?? '') },
];

const BUILTINS: ReadonlySet<CesqlFunction> = new Set(BUILTIN_FUNCTIONS);

/** Built-ins are pure and trusted: calls with constant arguments may be folded at compile time. */
export function isBuiltin(fn: CesqlFunction): boolean {
  return BUILTINS.has(fn);
}
