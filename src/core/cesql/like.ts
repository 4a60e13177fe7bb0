/**
 * LIKE patterns (CESQL v1 section 3.4.3), compiled once into a matcher. The whole value must match
 * (anchored); `%` is any run of characters, `_` exactly one character, `\%` and `\_` the literal characters.
 * A backslash before anything else is itself a literal backslash, as in the reference implementation
 * (sdk-go), so `'ab\c'` matches the value `ab\c`.
 *
 * Matching never backtracks beyond one segment: the text between two `%` is found leftmost-first, which is
 * exact for this kind of pattern, so the cost is at most text length x pattern length whatever the pattern
 * (no regular expressions, no exponential cases).
 */

/** One piece of a segment: a literal code point (one or two UTF-16 units) or `_`, any single code point. */
type Item = string | typeof ANY;
const ANY = Symbol('any');

/** The items between two `%`; `literal` is set when the segment has no `_`. */
interface Segment {
  readonly items: readonly Item[];
  readonly literal: string | undefined;
}

export type LikeMatcher = (text: string) => boolean;

export function compileLike(pattern: string): LikeMatcher {
  const segments = split(pattern);
  const first = segments[0]!;
  if (segments.length === 1) {
    const exact = first.literal;
    return exact !== undefined ? (text) => text === exact : (text) => matchAt(text, 0, first) === text.length;
  }
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((segment) => segment.items.length > 0);
  if (middle.length === 0 && first.literal !== undefined && last.literal !== undefined) {
    const prefix = first.literal;
    const suffix = last.literal;
    if (suffix === '') return (text) => text.startsWith(prefix);
    if (prefix === '') return (text) => text.endsWith(suffix);
    return (text) =>
      text.length >= prefix.length + suffix.length && text.startsWith(prefix) && text.endsWith(suffix);
  }
  if (
    middle.length === 1 &&
    first.items.length === 0 &&
    last.items.length === 0 &&
    middle[0]!.literal !== undefined
  ) {
    const inner = middle[0]!.literal;
    return (text) => text.includes(inner);
  }
  return (text) => matchSegments(text, first, middle, last);
}

function split(pattern: string): Segment[] {
  const segments: Segment[] = [];
  let items: Item[] = [];
  const points = Array.from(pattern);
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    const next = points[i + 1];
    if (point === '\\' && (next === '%' || next === '_')) {
      items.push(next);
      i++;
    } else if (point === '%') {
      segments.push(segmentOf(items));
      items = [];
    } else {
      items.push(point === '_' ? ANY : point);
    }
  }
  segments.push(segmentOf(items));
  return segments;
}

function segmentOf(items: Item[]): Segment {
  const literal = items.every((item) => item !== ANY) ? (items as string[]).join('') : undefined;
  return { items, literal };
}

/** Matches `segment` at UTF-16 offset `at`; returns the offset after it, or -1. */
function matchAt(text: string, at: number, segment: Segment): number {
  let i = at;
  for (const item of segment.items) {
    if (i >= text.length) return -1;
    if (item === ANY) {
      i += isPair(text, i) ? 2 : 1;
    } else {
      if (!text.startsWith(item, i)) return -1;
      i += item.length;
    }
  }
  return i;
}

function matchSegments(text: string, first: Segment, middle: readonly Segment[], last: Segment): boolean {
  let from = matchAt(text, 0, first);
  if (from < 0) return false;
  // Every item is one code point, so the last segment starts that many code points before the end.
  let tail = text.length;
  for (let n = last.items.length; n > 0; n--) {
    if (tail <= 0) return false;
    tail -= tail >= 2 && isPair(text, tail - 2) ? 2 : 1;
  }
  if (tail < from || matchAt(text, tail, last) !== text.length) return false;
  for (const segment of middle) {
    from = findFrom(text, from, tail, segment);
    if (from < 0) return false;
  }
  return true;
}

/** The end of the leftmost match of `segment` starting at or after `from` and ending by `limit`, or -1. */
function findFrom(text: string, from: number, limit: number, segment: Segment): number {
  if (segment.literal !== undefined) {
    const at = text.indexOf(segment.literal, from);
    return at >= 0 && at + segment.literal.length <= limit ? at + segment.literal.length : -1;
  }
  for (let at = from; at < limit; at += isPair(text, at) ? 2 : 1) {
    const end = matchAt(text, at, segment);
    if (end >= 0 && end <= limit) return end;
  }
  return -1;
}

/** True when a surrogate pair (one code point in two units) starts at `i`. */
function isPair(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}
