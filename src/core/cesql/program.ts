/**
 * Compiled programs: `evaluate` returns the value together with the error list (CESQL v1 section 1: the
 * primary and the secondary output), and a predicate form for filtering (section 1.2).
 */
import type { CloudEvent } from '../cloudevents/model.js';
import { compileExpr } from './compile.js';
import { CesqlError } from './errors.js';
import { DEFAULT_FUNCTIONS } from './functions.js';
import type { FunctionRegistry } from './functions.js';
import type { Eval } from './nodes.js';
import { parse } from './parser.js';
import { EvaluationState } from './types.js';
import type { CesqlValue } from './types.js';

export interface CesqlResult {
  readonly value: CesqlValue;
  readonly errors: readonly CesqlError[];
}

export interface CesqlProgram {
  readonly expression: string;
  evaluate(event: CloudEvent): CesqlResult;
}

export interface CesqlCompileOptions {
  /** The functions calls resolve against; by default the built-ins only. */
  readonly functions?: FunctionRegistry;
}

export interface CesqlPredicateOptions extends CesqlCompileOptions {
  /** Hears the first error of an evaluation that failed (the event then does not match). */
  readonly onError?: (error: CesqlError) => void;
}

const NO_ERRORS: readonly CesqlError[] = Object.freeze([]);

/**
 * One evaluation state per program, reused; a nested evaluation of the same program (a user-defined function
 * that evaluates it again) gets a fresh one.
 */
class StatePool {
  private readonly state = new EvaluationState();
  private busy = false;

  acquire(): EvaluationState {
    if (this.busy) return new EvaluationState();
    this.busy = true;
    this.state.reset();
    return this.state;
  }

  release(state: EvaluationState): void {
    if (state === this.state) this.busy = false;
  }
}

class Program implements CesqlProgram {
  private readonly pool = new StatePool();

  constructor(
    readonly expression: string,
    private readonly root: Eval<CesqlValue>,
  ) {}

  evaluate(event: CloudEvent): CesqlResult {
    const state = this.pool.acquire();
    try {
      const value = this.root(event.attributes, state);
      return { value, errors: state.failed ? state.errors() : NO_ERRORS };
    } finally {
      this.pool.release(state);
    }
  }
}

function compileRoot(expression: string, options: CesqlCompileOptions): Eval<CesqlValue> {
  if (typeof expression !== 'string') {
    throw new CesqlError('parse', `cesql: the expression must be a string, not ${typeof expression}`);
  }
  return compileExpr(expression, parse(expression), options.functions ?? DEFAULT_FUNCTIONS).evaluate;
}

/** Parses and compiles `expression` once; throws a CesqlError of kind `parse` when it is not valid CESQL v1. */
export function compileCesql(expression: string, options: CesqlCompileOptions = {}): CesqlProgram {
  return new Program(expression, compileRoot(expression, options));
}

/**
 * Compiles `expression` into a filter predicate (section 1.2): an event passes only when the value is the
 * Boolean `true` and no error occurred. Cheaper than `evaluate`: no result object, and error objects are
 * made only when `onError` is given and an evaluation fails.
 */
export function compileCesqlPredicate(
  expression: string,
  options: CesqlPredicateOptions = {},
): (event: CloudEvent) => boolean {
  const root = compileRoot(expression, options);
  const pool = new StatePool();
  const onError = options.onError;
  return (event) => {
    const state = pool.acquire();
    try {
      const value = root(event.attributes, state);
      if (!state.failed) return value === true;
      const error = onError === undefined ? undefined : state.errors()[0];
      if (error !== undefined) onError?.(error);
      return false;
    } finally {
      pool.release(state);
    }
  };
}
