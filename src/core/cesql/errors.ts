/**
 * CESQL errors. CESQL v1 section 3.3 names the error types every engine MUST support; `kind` carries them
 * with the names the TCK uses. (The spec's GenericError has no use here: every failure has a precise kind.)
 */
export type CesqlErrorKind =
  'parse' | 'math' | 'cast' | 'missingFunction' | 'functionEvaluation' | 'missingAttribute';

/** A place in the expression text: `offset` counts UTF-16 units from 0; `line` and `column` count from 1. */
export interface CesqlPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export class CesqlError extends Error {
  override readonly name = 'CesqlError';
  constructor(
    readonly kind: CesqlErrorKind,
    message: string,
    /** Where in the expression the error arose, when known. */
    readonly position?: CesqlPosition,
  ) {
    super(message);
  }
}

export function isCesqlError(error: unknown): error is CesqlError {
  return error instanceof CesqlError;
}

/** The line and column (both 1-based, columns in code points) of a UTF-16 offset in `source`. */
export function positionAt(source: string, offset: number): CesqlPosition {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 0x0a) {
      line++;
      column = 1;
    } else if (code < 0xdc00 || code > 0xdfff || i === 0 || !isHighSurrogate(source.charCodeAt(i - 1))) {
      column++;
    }
  }
  return { offset, line, column };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** `at 1:17`, the suffix every positioned message ends with. */
export function formatPosition(position: CesqlPosition): string {
  return `at ${position.line}:${position.column}`;
}

/** A parse error such as `cesql: expected ')' at 1:17, found end of input`. */
export function parseError(source: string, offset: number, what: string, found?: string): CesqlError {
  const position = positionAt(source, offset);
  const tail = found === undefined ? '' : `, found ${found}`;
  return new CesqlError('parse', `cesql: ${what} ${formatPosition(position)}${tail}`, position);
}

/** Quotes a runtime value for a message, cut short so that a large attribute cannot flood logs. */
export function quoteValue(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value;
  return `'${shown}'`;
}
