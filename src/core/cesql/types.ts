/**
 * The CESQL type system (CESQL v1 section 3.1) and its casts (section 3.7), shared by the compiler and the
 * built-in functions.
 */
import { CesqlError, formatPosition, positionAt, quoteValue } from './errors.js';
import type { CesqlErrorKind, CesqlPosition } from './errors.js';

export type CesqlValue = boolean | number | string;

/** The three primitive types of section 3.1. Integers are JavaScript numbers holding a 32-bit value. */
export type CesqlType = 'Boolean' | 'Integer' | 'String';

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
/** CESQL 2.4: function names are letters and '_' (case-insensitive), starting with a letter. */
export const FUNCTION_NAME = /^[A-Za-z][A-Za-z_]*$/;

/** Section 3.1: the zero value of each type, returned alongside an error. */
export function zeroOf(type: CesqlType): CesqlValue {
  return type === 'Boolean' ? false : type === 'Integer' ? 0 : '';
}

export function typeOfValue(value: CesqlValue): CesqlType {
  return typeof value === 'string' ? 'String' : typeof value === 'number' ? 'Integer' : 'Boolean';
}

/** True when `value` is a valid value of `type` (an Integer must be a 32-bit whole number). */
export function isValueOf(value: unknown, type: CesqlType): value is CesqlValue {
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX;
  }
}

/**
 * Where a node sits in the expression text. The line and column are worked out only when an error is
 * reported, so compiling a long expression stays linear.
 */
export class Site {
  private cached: CesqlPosition | undefined;

  constructor(
    private readonly source: string,
    readonly offset: number,
  ) {}

  get position(): CesqlPosition {
    return (this.cached ??= positionAt(this.source, this.offset));
  }
}

/**
 * The error state of one evaluation. Errors propagate (see compile.ts): once `failed` is set, every enclosing
 * operator yields its zero value without evaluating anything more, so this usually holds a single error.
 * An error is kept as parts (kind, text, site); messages and `CesqlError` objects are made only when a
 * caller asks for them, which keeps a failing evaluation (a filter on an absent extension) cheap.
 */
export class EvaluationState {
  failed = false;
  /** Errors recorded; the arrays keep their slots between evaluations so a failure allocates nothing. */
  private count = 0;
  private readonly kinds: CesqlErrorKind[] = [];
  private readonly texts: string[] = [];
  private readonly sites: Site[] = [];

  fail(kind: CesqlErrorKind, text: string, site: Site): void {
    this.failed = true;
    const i = this.count++;
    this.kinds[i] = kind;
    this.texts[i] = text;
    this.sites[i] = site;
  }

  reset(): void {
    this.failed = false;
    this.count = 0;
  }

  errors(): CesqlError[] {
    const errors: CesqlError[] = [];
    for (let i = 0; i < this.count; i++) {
      const position = this.sites[i]?.position;
      const at = position === undefined ? '' : ` ${formatPosition(position)}`;
      errors.push(new CesqlError(this.kinds[i]!, `cesql: ${this.texts[i]!}${at}`, position));
    }
    return errors;
  }
}

/** Section 3.7, Boolean -> String and Integer -> String; never fails. */
export function castToString(value: CesqlValue): string {
  return typeof value === 'string' ? value : String(value);
}

const INTEGER_TEXT = /^[+-]?[0-9]+$/;

/** Section 3.7, String -> Integer: an optionally signed base-10 32-bit integer, else undefined. */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined;
  const n = Number(text);
  return n >= INT_MIN && n <= INT_MAX ? n | 0 : undefined;
}

/** Section 3.7, casts to Integer: Booleans are 1 or 0; a String that is not an integer is 0 and a CastError. */
export function castToInteger(value: CesqlValue, state: EvaluationState, site: Site): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = parseInteger(value);
  if (n !== undefined) return n;
  state.fail('cast', `cannot cast ${quoteValue(value)} to Integer`, site);
  return 0;
}

/**
 * Section 3.7, casts to Boolean: an Integer is true unless 0; a String is true or false when its lower case
 * form is exactly `true` or `false`, else false and a CastError.
 */
export function castToBoolean(value: CesqlValue, state: EvaluationState, site: Site): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  state.fail('cast', `cannot cast ${quoteValue(value)} to Boolean`, site);
  return false;
}

/** Casts `value` to `type` with the rules above. */
export function castTo(type: CesqlType, value: CesqlValue, state: EvaluationState, site: Site): CesqlValue {
  switch (type) {
    case 'String':
      return castToString(value);
    case 'Integer':
      return castToInteger(value, state, site);
    case 'Boolean':
      return castToBoolean(value, state, site);
  }
}

/**
 * Clamps an exact arithmetic result to 32 bits. CESQL v1 states one overflow rule (ABS of the most negative
 * Integer returns 2147483647 and a MathError); cemesh applies the same rule to every operator.
 */
export function clampInteger(n: number, state: EvaluationState, site: Site, what: string): number {
  if (n >= INT_MIN && n <= INT_MAX) return n | 0;
  state.fail('math', `integer overflow in ${what}`, site);
  return n > 0 ? INT_MAX : INT_MIN;
}
