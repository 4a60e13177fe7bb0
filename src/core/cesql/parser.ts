/**
 * A recursive-descent parser for the CESQL v1 grammar (section 2), with the precedence of section 3.6, from
 * loosest to tightest: AND/OR/XOR (one level, left to right), comparisons, `+ -`, `* / %`, then IN, EXISTS
 * and LIKE, then the unary `-` and NOT, then function calls, parentheses and atoms.
 *
 * Because IN and LIKE are postfix operators whose right side is delimited (a parenthesised set, a string
 * literal), one loop handles both; EXISTS only ever takes an attribute name, so it parses as an atom.
 */
import type { ArithmeticOperator, ComparisonOperator, Expr, LogicOperator } from './ast.js';
import { parseError } from './errors.js';
import { tokenize } from './lexer.js';
import type { Keyword, Punctuation, Token } from './lexer.js';
import { FUNCTION_NAME, INT_MAX, INT_MIN } from './types.js';

/** Bounds on nesting, so that neither parsing nor evaluating can exhaust the stack. */
export const MAX_NESTING = 64;
export const MAX_DEPTH = 256;
/**
 * Bounds on size, so that a filter's cost per event is bounded (docs/security.md): an expression's length in
 * characters, and a LIKE pattern's in code points (each 32 of which cost a word operation per code point of
 * the text, see like.ts).
 */
export const MAX_EXPRESSION_LENGTH = 4096;
export const MAX_LIKE_PATTERN = 256;
/** The code points of all LIKE patterns of one expression: each is matched on its own. */
export const MAX_LIKE_TOTAL = 512;

const COMPARISON: ReadonlySet<string> = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);
const ATTRIBUTE_NAME = /^[A-Za-z0-9]+$/;

/** Parses a whole expression; throws a CesqlError of kind `parse`. */
export function parse(source: string): Expr {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw parseError(
      source,
      0,
      `expression too long: ${source.length} characters, at most ${MAX_EXPRESSION_LENGTH}`,
    );
  }
  const parser = new Parser(source, tokenize(source));
  const expr = parser.expression();
  parser.expectEnd();
  checkDepth(source, expr);
  return expr;
}

class Parser {
  private index = 0;
  private nesting = 0;
  private likePoints = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  expression(): Expr {
    return this.logic();
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw this.error(token, 'expected an operator or the end of the expression');
  }

  private logic(): Expr {
    let left = this.comparison();
    let run: Expr[] | undefined;
    let runOp: LogicOperator | undefined;
    let runOffset = 0;
    for (;;) {
      const token = this.peek();
      const op = keywordOf(token);
      if (op !== 'AND' && op !== 'OR' && op !== 'XOR') break;
      this.index++;
      const right = this.comparison();
      if (run !== undefined && runOp === op) {
        run.push(...operandsOf(right, op));
        continue;
      }
      if (run !== undefined && runOp !== undefined) {
        left = { kind: 'logic', op: runOp, operands: run, offset: runOffset };
      }
      run = [...operandsOf(left, op), ...operandsOf(right, op)];
      runOp = op;
      runOffset = token.offset;
    }
    if (run !== undefined && runOp !== undefined) {
      left = { kind: 'logic', op: runOp, operands: run, offset: runOffset };
    }
    return left;
  }

  private comparison(): Expr {
    let left = this.additive();
    for (
      let token = this.peek();
      token.kind === 'punct' && COMPARISON.has(token.punct);
      token = this.peek()
    ) {
      this.index++;
      const op = token.punct as ComparisonOperator;
      left = { kind: 'comparison', op, left, right: this.additive(), offset: token.offset };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (let token = this.peek(); isPunct(token, '+') || isPunct(token, '-'); token = this.peek()) {
      this.index++;
      const op = (token as { punct: ArithmeticOperator }).punct;
      left = { kind: 'arithmetic', op, left, right: this.multiplicative(), offset: token.offset };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.postfix();
    for (
      let token = this.peek();
      isPunct(token, '*') || isPunct(token, '/') || isPunct(token, '%');
      token = this.peek()
    ) {
      this.index++;
      const op = (token as { punct: ArithmeticOperator }).punct;
      left = { kind: 'arithmetic', op, left, right: this.postfix(), offset: token.offset };
    }
    return left;
  }

  /** `x [NOT] LIKE 'pattern'` and `x [NOT] IN (a, b, ...)`, section 2.3. */
  private postfix(): Expr {
    let operand = this.unary();
    for (;;) {
      let token = this.peek();
      let negated = false;
      if (keywordOf(token) === 'NOT') {
        const next = this.tokens[this.index + 1];
        const keyword = next === undefined ? undefined : keywordOf(next);
        if (next === undefined || (keyword !== 'LIKE' && keyword !== 'IN')) {
          throw this.error(next ?? token, 'expected LIKE or IN after NOT');
        }
        this.index++;
        token = next;
        negated = true;
      }
      const keyword = keywordOf(token);
      if (keyword === 'LIKE') {
        this.index++;
        const pattern = this.peek();
        // Section 3.4.3: the pattern MUST be a string literal, else the parser MUST fail.
        if (pattern.kind !== 'string')
          throw this.error(pattern, 'expected a string literal as the LIKE pattern');
        const points = [...pattern.value].length;
        if (points > MAX_LIKE_PATTERN) {
          throw this.error(
            pattern,
            `LIKE pattern too long: ${points} characters, at most ${MAX_LIKE_PATTERN}`,
          );
        }
        this.likePoints += points;
        if (this.likePoints > MAX_LIKE_TOTAL) {
          throw this.error(
            pattern,
            `LIKE patterns too long: ${this.likePoints} characters in all, at most ${MAX_LIKE_TOTAL}`,
          );
        }
        this.index++;
        operand = { kind: 'like', operand, pattern: pattern.value, negated, offset: token.offset };
      } else if (keyword === 'IN') {
        this.index++;
        this.expectPunct('(', "expected '(' to open the IN set");
        const set = this.list(')');
        operand = { kind: 'in', operand, set, negated, offset: token.offset };
      } else {
        return operand;
      }
    }
  }

  private unary(): Expr {
    const token = this.peek();
    if (keywordOf(token) === 'NOT') {
      this.index++;
      return this.nested<Expr>(token, () => ({ kind: 'not', operand: this.unary(), offset: token.offset }));
    }
    if (isPunct(token, '-')) {
      this.index++;
      const next = this.peek();
      // A minus sign directly on a number is part of the literal (section 2.2), which is how
      // -2147483648 stays in range.
      if (next.kind === 'integer') {
        this.index++;
        return this.integer(next.text, true, token);
      }
      return this.nested<Expr>(token, () => ({
        kind: 'negate',
        operand: this.unary(),
        offset: token.offset,
      }));
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'integer':
        this.index++;
        return this.integer(token.text, false, token);
      case 'string':
        this.index++;
        return { kind: 'literal', value: token.value, offset: token.offset };
      case 'word':
        this.index++;
        return isPunct(this.peek(), '(') ? this.call(token) : this.attribute(token);
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') {
          this.index++;
          return { kind: 'literal', value: token.keyword === 'TRUE', offset: token.offset };
        }
        if (token.keyword === 'EXISTS') {
          this.index++;
          const name = this.peek();
          if (name.kind !== 'word') throw this.error(name, 'expected an attribute name after EXISTS');
          this.index++;
          return { kind: 'exists', name: this.attributeName(name), offset: token.offset };
        }
        break;
      case 'punct':
        if (token.punct === '(') {
          this.index++;
          const inner = this.nested(token, () => this.expression());
          this.expectPunct(')', "expected ')'");
          return inner;
        }
        if (token.punct === '+') {
          // Section 2.2: an integer literal may carry a leading '+', written against its digits.
          const next = this.tokens[this.index + 1];
          if (next?.kind === 'integer' && next.offset === token.end) {
            this.index += 2;
            return this.integer(next.text, false, token);
          }
        }
        break;
      case 'end':
        break;
    }
    throw this.error(token, 'expected an expression');
  }

  /** Section 2.2: integer literals MUST be valid 32-bit signed integers. */
  private integer(digits: string, negative: boolean, start: Token): Expr {
    const value = negative ? -Number(digits) : Number(digits);
    if (value < INT_MIN || value > INT_MAX) {
      throw parseError(
        this.source,
        start.offset,
        `integer literal ${negative ? '-' : ''}${digits} is out of the 32-bit range`,
      );
    }
    return { kind: 'literal', value: value | 0, offset: start.offset };
  }

  /** Section 2.2: value identifiers are letters and digits, case-insensitive (attribute names are lower case). */
  private attribute(token: Token & { kind: 'word' }): Expr {
    return { kind: 'attribute', name: this.attributeName(token), offset: token.offset };
  }

  private attributeName(token: Token & { kind: 'word' }): string {
    if (!ATTRIBUTE_NAME.test(token.text)) {
      throw parseError(
        this.source,
        token.offset,
        `invalid attribute name '${token.text}' (letters and digits only)`,
      );
    }
    return token.text.toLowerCase();
  }

  /** Section 2.4: `NAME(arg, ...)`; function names are letters and '_', case-insensitive. */
  private call(token: Token & { kind: 'word' }): Expr {
    if (!FUNCTION_NAME.test(token.text)) {
      throw parseError(
        this.source,
        token.offset,
        `invalid function name '${token.text}' (a letter, then letters and '_')`,
      );
    }
    this.index++;
    const args = isPunct(this.peek(), ')') ? (this.index++, []) : this.list(')', "an expression or ')'");
    return { kind: 'call', name: token.text.toUpperCase(), args, offset: token.offset };
  }

  /** `expr (',' expr)* close`, after the opening parenthesis. */
  private list(close: Punctuation, first = 'an expression'): Expr[] {
    const items: Expr[] = [];
    const open = this.tokens[this.index - 1] ?? this.peek();
    this.nested(open, () => {
      for (;;) {
        if (!startsExpression(this.peek()))
          throw this.error(this.peek(), `expected ${items.length ? 'an expression' : first}`);
        items.push(this.expression());
        const token = this.peek();
        this.index++;
        if (isPunct(token, close)) return;
        if (!isPunct(token, ',')) throw this.error(token, `expected ',' or '${close}'`);
      }
    });
    return items;
  }

  private nested<T>(at: Token, parse: () => T): T {
    if (++this.nesting > MAX_NESTING) {
      throw parseError(
        this.source,
        at.offset,
        `expression nested too deeply (more than ${MAX_NESTING} levels)`,
      );
    }
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private expectPunct(punct: Punctuation, message: string): void {
    const token = this.peek();
    if (!isPunct(token, punct)) throw this.error(token, message);
    this.index++;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private error(token: Token, expected: string): Error {
    return parseError(this.source, token.offset, expected, describe(this.source, token));
  }
}

function keywordOf(token: Token): Keyword | undefined {
  return token.kind === 'keyword' ? token.keyword : undefined;
}

function isPunct(token: Token, punct: Punctuation): boolean {
  return token.kind === 'punct' && token.punct === punct;
}

function operandsOf(expr: Expr, op: LogicOperator): readonly Expr[] {
  return expr.kind === 'logic' && expr.op === op ? expr.operands : [expr];
}

function startsExpression(token: Token): boolean {
  switch (token.kind) {
    case 'end':
      return false;
    case 'keyword':
      return (
        token.keyword === 'NOT' ||
        token.keyword === 'EXISTS' ||
        token.keyword === 'TRUE' ||
        token.keyword === 'FALSE'
      );
    case 'punct':
      return token.punct === '(' || token.punct === '-' || token.punct === '+';
    default:
      return true;
  }
}

function describe(source: string, token: Token): string {
  if (token.kind === 'end') return 'end of input';
  const raw = source.slice(token.offset, token.end);
  const shown = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
  return token.kind === 'string' ? `string literal ${shown}` : `'${shown}'`;
}

/** Rejects trees deeper than MAX_DEPTH (long chains of `+` or comparisons nest to the left). */
function checkDepth(source: string, root: Expr): void {
  const stack: Array<[Expr, number]> = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [expr, depth] = item;
    if (depth > MAX_DEPTH) {
      throw parseError(source, expr.offset, `expression nested too deeply (more than ${MAX_DEPTH} levels)`);
    }
    for (const child of childrenOf(expr)) stack.push([child, depth + 1]);
  }
}

function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'literal':
    case 'attribute':
    case 'exists':
      return [];
    case 'not':
    case 'negate':
      return [expr.operand];
    case 'comparison':
    case 'arithmetic':
      return [expr.left, expr.right];
    case 'logic':
      return expr.operands;
    case 'like':
      return [expr.operand];
    case 'in':
      return [expr.operand, ...expr.set];
    case 'call':
      return expr.args;
  }
}
