/**
 * LIKE patterns (CESQL v1 section 3.4.3), compiled once into a matcher. The whole value must match
 * (anchored); `%` is any run of characters, `_` exactly one character, `\%` and `\_` the literal characters.
 * A backslash before anything else is itself a literal backslash, as in the reference implementation
 * (sdk-go), so `'ab\c'` matches the value `ab\c`.
 *
 * Matching never backtracks: every segment (the text between two `%`) has a fixed length in code points, so
 * finding each one leftmost-first is exact, and each is found in one pass over the text with the bit-parallel
 * Shift-And automaton (Baeza-Yates and Gonnet, 1992). The text is read once in all, at a cost per code point of
 * one word operation per 32 items of the segment: linear in the text whatever the pattern. The parser caps a
 * pattern's length (MAX_LIKE_PATTERN), which bounds that factor. A plain `indexOf` per segment, tried first,
 * costs text length x segment length on texts such as `aaaa…` and froze the event loop for seconds.
 */

/** One piece of a segment: a literal code point (one or two UTF-16 units) or `_`, any single code point. */
type Item = string | typeof ANY;
const ANY = Symbol('any');

/** The items between two `%`; `literal` is set when the segment has no `_`. */
interface Segment {
  readonly items: readonly Item[];
  readonly literal: string | undefined;
}

/**
 * A segment's Shift-And tables: bit i of a code point's mask is set when item i is that code point or `_`;
 * `any` is the mask of a code point the segment does not name (only its `_` items).
 */
interface Automaton {
  readonly words: number;
  /** Masks of ASCII code points by code, of the others by code point. */
  readonly ascii: readonly Uint32Array[];
  readonly masks: ReadonlyMap<number, Uint32Array>;
  readonly any: Uint32Array;
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
  const automata = middle.map((segment) =>
    segment.literal === undefined ? automatonOf(segment) : undefined,
  );
  return (text) => matchSegments(text, first, middle, automata, last);
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

function matchSegments(
  text: string,
  first: Segment,
  middle: readonly Segment[],
  automata: readonly (Automaton | undefined)[],
  last: Segment,
): boolean {
  let from = matchAt(text, 0, first);
  if (from < 0) return false;
  // Every item is one code point, so the last segment starts that many code points before the end.
  let tail = text.length;
  for (let n = last.items.length; n > 0; n--) {
    if (tail <= 0) return false;
    tail -= tail >= 2 && isPair(text, tail - 2) ? 2 : 1;
  }
  if (tail < from || matchAt(text, tail, last) !== text.length) return false;
  for (let i = 0; i < middle.length; i++) {
    const segment = middle[i]!;
    from =
      segment.literal !== undefined
        ? findLiteral(text, from, tail, segment.literal)
        : findShiftAnd(text, from, tail, segment.items.length, automata[i]!);
    if (from < 0) return false;
  }
  return true;
}

/** The end of the leftmost `literal` starting at or after `from` and ending by `limit`, or -1. */
function findLiteral(text: string, from: number, limit: number, literal: string): number {
  const at = text.indexOf(literal, from);
  return at >= 0 && at + literal.length <= limit ? at + literal.length : -1;
}

function automatonOf(segment: Segment): Automaton {
  const words = Math.ceil(segment.items.length / 32);
  const any = new Uint32Array(words);
  segment.items.forEach((item, i) => {
    if (item === ANY) any[i >>> 5]! |= 1 << (i & 31);
  });
  const masks = new Map<number, Uint32Array>();
  segment.items.forEach((item, i) => {
    if (item === ANY) return;
    const point = item.codePointAt(0)!;
    let mask = masks.get(point);
    if (!mask) masks.set(point, (mask = Uint32Array.from(any)));
    mask[i >>> 5]! |= 1 << (i & 31);
  });
  const ascii = Array.from({ length: 128 }, (_, code) => masks.get(code) ?? any);
  return { words, ascii, masks, any };
}

/**
 * The end of the leftmost match of a segment of `length` items starting at or after `from` and ending by
 * `limit`, or -1: one step of the automaton per code point, the state's bit i set when the last i + 1 code
 * points match the segment's first i + 1 items.
 */
function findShiftAnd(
  text: string,
  from: number,
  limit: number,
  length: number,
  automaton: Automaton,
): number {
  const { words, ascii, masks, any } = automaton;
  const state = new Uint32Array(words);
  const lastWord = (length - 1) >>> 5;
  const lastBit = 1 << ((length - 1) & 31);
  for (let at = from; at < limit;) {
    const point = text.codePointAt(at)!;
    const mask = point < 128 ? ascii[point]! : (masks.get(point) ?? any);
    let carry = 1;
    for (let w = 0; w < words; w++) {
      const word = state[w]!;
      state[w] = ((word << 1) | carry) & mask[w]!;
      carry = word >>> 31;
    }
    at += point > 0xffff ? 2 : 1;
    if ((state[lastWord]! & lastBit) !== 0) return at;
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
