/**
 * The CESQL v1 lexer (section 2). Keywords are case-insensitive (section 2); words that are not keywords are
 * left to the parser, which tells attribute names from function names by a following `(`.
 */
import { parseError } from './errors.js';

export type Keyword = 'AND' | 'OR' | 'XOR' | 'NOT' | 'LIKE' | 'IN' | 'EXISTS' | 'TRUE' | 'FALSE';

export type Punctuation =
  '(' | ')' | ',' | '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Token =
  | { readonly kind: 'keyword'; readonly keyword: Keyword; readonly offset: number; readonly end: number }
  | { readonly kind: 'punct'; readonly punct: Punctuation; readonly offset: number; readonly end: number }
  /** `text` is the digits as written; the parser applies the sign and checks the 32-bit range. */
  | { readonly kind: 'integer'; readonly text: string; readonly offset: number; readonly end: number }
  | { readonly kind: 'string'; readonly value: string; readonly offset: number; readonly end: number }
  /** A word that is not a keyword: an attribute name or a function name, as written. */
  | { readonly kind: 'word'; readonly text: string; readonly offset: number; readonly end: number }
  | { readonly kind: 'end'; readonly offset: number; readonly end: number };

const KEYWORDS: ReadonlyMap<string, Keyword> = new Map(
  (['AND', 'OR', 'XOR', 'NOT', 'LIKE', 'IN', 'EXISTS', 'TRUE', 'FALSE'] as const).map((k) => [k, k]),
);

const TWO_CHAR: ReadonlySet<string> = new Set(['!=', '<>', '<=', '>=']);
const ONE_CHAR: ReadonlySet<string> = new Set(['(', ')', ',', '=', '<', '>', '+', '-', '*', '/', '%']);

function isWordChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f
  );
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The whitespace the reference grammar skips between tokens: space, tab, CR, LF. */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** Splits `source` into tokens, ending with an `end` token; throws a CesqlError of kind `parse`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const code = source.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const start = i;
    if (code === 0x27 || code === 0x22) {
      const { value, end } = readString(source, i);
      tokens.push({ kind: 'string', value, offset: start, end });
      i = end;
    } else if (isWordChar(code)) {
      while (i < source.length && isWordChar(source.charCodeAt(i))) i++;
      const text = source.slice(start, i);
      const keyword = KEYWORDS.get(text.toUpperCase());
      if (keyword !== undefined) tokens.push({ kind: 'keyword', keyword, offset: start, end: i });
      else if (isAllDigits(text)) tokens.push({ kind: 'integer', text, offset: start, end: i });
      else tokens.push({ kind: 'word', text, offset: start, end: i });
    } else {
      const two = source.slice(i, i + 2);
      const one = source[i] ?? '';
      if (TWO_CHAR.has(two)) {
        tokens.push({ kind: 'punct', punct: two as Punctuation, offset: start, end: i + 2 });
        i += 2;
      } else if (ONE_CHAR.has(one)) {
        tokens.push({ kind: 'punct', punct: one as Punctuation, offset: start, end: i + 1 });
        i += 1;
      } else if (one === '!') {
        throw parseError(source, i + 1, "expected '=' after '!'", describeChar(source, i + 1));
      } else {
        throw parseError(source, i, `unexpected character ${describeChar(source, i)}`);
      }
    }
  }
  tokens.push({ kind: 'end', offset: source.length, end: source.length });
  return tokens;
}

function isAllDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Section 2.2: `'...'` or `"..."`, where a backslash before the delimiter escapes it. As in the reference
 * grammar's lexer a backslash always takes the next character with it, and any other backslash pair is kept
 * as written, so `'a\%'` stays `a\%` for LIKE and `'ab\c'` stays `ab\c`.
 */
function readString(source: string, start: number): { value: string; end: number } {
  const quote = source[start];
  let value = '';
  let chunk = start + 1;
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\') {
      if (source[i + 1] === quote) {
        value += source.slice(chunk, i) + quote;
        chunk = i + 2;
      }
      i += 2;
      continue;
    }
    if (ch === quote) return { value: value + source.slice(chunk, i), end: i + 1 };
    i++;
  }
  const closing = quote === "'" ? `"'"` : `'"'`;
  throw parseError(source, source.length, `expected ${closing} to end the string literal`, 'end of input');
}

function describeChar(source: string, offset: number): string {
  if (offset >= source.length) return 'end of input';
  const cp = source.codePointAt(offset) ?? 0;
  return cp >= 0x20 && cp !== 0x7f
    ? `'${String.fromCodePoint(cp)}'`
    : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
