/**
 * Finds where a JSON text (RFC 8259) stops being valid, so that a malformed request body can be reported by
 * line and column. Runs only after JSON.parse has failed; JSON.parse's own messages differ between Node
 * versions and do not always give a position.
 */

export interface JsonSyntaxError {
  /** What was expected or found, e.g. `expected ',' or '}'`. */
  readonly reason: string;
  /** UTF-16 offset into the text. */
  readonly offset: number;
  /** 1-based line and column of the offset. */
  readonly line: number;
  readonly column: number;
}

class Stop {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

const MAX_DEPTH = 1000;

class Scanner {
  i = 0;
  constructor(private readonly text: string) {}

  fail(reason: string): never {
    throw new Stop(reason, this.i);
  }

  found(): string {
    const ch = this.text[this.i];
    return ch === undefined ? 'the end of the text' : `'${ch}'`;
  }

  ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.i++;
    }
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.ws();
    const ch = this.text[this.i];
    if (ch === '{') this.object(depth);
    else if (ch === '[') this.array(depth);
    else if (ch === '"') this.string();
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) this.number();
    else if (!this.literal('true') && !this.literal('false') && !this.literal('null')) {
      this.fail(`expected a JSON value but found ${this.found()}`);
    }
  }

  literal(word: string): boolean {
    if (!this.text.startsWith(word, this.i)) return false;
    this.i += word.length;
    return true;
  }

  object(depth: number): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"')
        this.fail(`expected a member name in double quotes but found ${this.found()}`);
      this.string();
      this.ws();
      if (this.text[this.i] !== ':') this.fail(`expected ':' but found ${this.found()}`);
      this.i++;
      this.value(depth + 1);
      this.ws();
      const ch = this.text[this.i];
      this.i++;
      if (ch === '}') return;
      if (ch !== ',') {
        this.i--;
        this.fail(`expected ',' or '}' but found ${this.found()}`);
      }
    }
  }

  array(depth: number): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.ws();
      const ch = this.text[this.i];
      this.i++;
      if (ch === ']') return;
      if (ch !== ',') {
        this.i--;
        this.fail(`expected ',' or ']' but found ${this.found()}`);
      }
    }
  }

  string(): void {
    this.i++;
    for (;;) {
      const c = this.text.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) {
        this.i++;
        return;
      }
      if (c < 0x20) this.fail('control character in string (must be escaped)');
      if (c === 0x5c) {
        const e = this.text[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
            this.i++;
            this.fail('invalid \\u escape');
          }
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.i++;
          this.fail('invalid escape sequence');
        }
        this.i += 2;
        continue;
      }
      this.i++;
    }
  }

  digits(): number {
    const start = this.i;
    while (this.text.charCodeAt(this.i) >= 0x30 && this.text.charCodeAt(this.i) <= 0x39) this.i++;
    return this.i - start;
  }

  number(): void {
    if (this.text[this.i] === '-') this.i++;
    if (this.text[this.i] === '0') this.i++;
    else if (this.digits() === 0) this.fail(`expected a digit but found ${this.found()}`);
    if (this.text[this.i] === '.') {
      this.i++;
      if (this.digits() === 0) this.fail(`expected a digit after '.' but found ${this.found()}`);
    }
    const e = this.text[this.i];
    if (e === 'e' || e === 'E') {
      this.i++;
      const sign = this.text[this.i];
      if (sign === '+' || sign === '-') this.i++;
      if (this.digits() === 0) this.fail(`expected a digit in the exponent but found ${this.found()}`);
    }
  }
}

/** The first syntax error of `text`, or undefined when it is a valid JSON text. */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text);
  let stop: Stop | undefined;
  try {
    scanner.value(0);
    scanner.ws();
    if (scanner.i < text.length) scanner.fail(`unexpected ${scanner.found()} after the JSON value`);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    stop = error;
  }
  if (stop === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < stop.offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { reason: stop.reason, offset: stop.offset, line, column: stop.offset - lineStart + 1 };
}
