/**
 * Locates the first syntax error in JSON text (RFC 8259). JSON.parse's messages differ between V8
 * versions and some name no position, so the API finds the position itself to tell the user where to look.
 */

export interface JsonSyntaxError {
  /** Offset in UTF-16 code units of the offending character (text.length at an unexpected end). */
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

class Failure {
  constructor(
    readonly position: number,
    readonly what: string,
  ) {}
}

/** Undefined when `text` is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    const end = skipSpace(text, value(text, skipSpace(text, 0), 0));
    if (end < text.length) throw new Failure(end, 'unexpected data after the JSON value');
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const before = text.slice(0, error.position).split('\n');
    const line = before.length;
    const column = (before[before.length - 1] ?? '').length + 1;
    return { position: error.position, line, column, message: error.what };
  }
}

// Deeply nested input must fail cleanly rather than overflow the stack.
const MAX_DEPTH = 512;

function value(text: string, at: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new Failure(at, `nesting deeper than ${MAX_DEPTH} levels`);
  const c = text[at];
  if (c === '{') return container(text, at, depth, '}', true);
  if (c === '[') return container(text, at, depth, ']', false);
  if (c === '"') return string(text, at);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, at)) return at + literal.length;
  }
  const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
  if (number && number[0] !== '' && number[0] !== '-') return at + number[0].length;
  throw unexpected(text, at, 'a value');
}

function container(text: string, at: number, depth: number, close: string, object: boolean): number {
  let i = skipSpace(text, at + 1);
  if (text[i] === close) return i + 1;
  for (;;) {
    if (object) {
      if (text[i] !== '"') throw unexpected(text, i, 'a double-quoted property name');
      i = skipSpace(text, string(text, i));
      if (text[i] !== ':') throw unexpected(text, i, "':'");
      i = skipSpace(text, i + 1);
    }
    i = skipSpace(text, value(text, i, depth + 1));
    if (text[i] === close) return i + 1;
    if (text[i] !== ',') throw unexpected(text, i, `',' or '${close}'`);
    i = skipSpace(text, i + 1);
  }
}

function string(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) throw new Failure(i, 'a control character inside a string (escape it)');
    if (code === 0x5c) {
      const escape = text[i + 1];
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Failure(i, 'an invalid \\u escape');
        i += 6;
      } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
        i += 2;
      } else {
        throw new Failure(i, 'an invalid escape sequence');
      }
    } else {
      i += 1;
    }
  }
  throw new Failure(text.length, 'unexpected end of input inside a string');
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i += 1;
  return i;
}

function unexpected(text: string, at: number, expected: string): Failure {
  if (at >= text.length) return new Failure(at, `unexpected end of input, expected ${expected}`);
  return new Failure(at, `unexpected ${JSON.stringify(text[at])}, expected ${expected}`);
}
