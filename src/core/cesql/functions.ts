/**
 * Function definitions and the registry that dispatches calls (CESQL v1 section 3.5): overloads by arity,
 * at most one variadic overload per name, checked when a function is defined.
 */
import { BUILTIN_FUNCTIONS } from './builtins.js';
import { FUNCTION_NAME, type CesqlType, type CesqlValue } from './types.js';

/** A parameter type: one of the three types, or `Any` for a parameter that takes its argument uncast. */
export type CesqlParameterType = CesqlType | 'Any';

/** The kinds of error a function may report (section 3.3). */
export type CesqlFunctionErrorKind = 'functionEvaluation' | 'math' | 'cast';

/** Handed to a function on each call. */
export interface CesqlFunctionContext {
  /**
   * Reports an error; the function still returns a value of its return type (section 3.5.3), which becomes
   * the call's value. The kind defaults to `functionEvaluation`.
   */
  error(message: string, kind?: CesqlFunctionErrorKind): void;
}

export interface CesqlFunction {
  /** A function identifier (section 2.4): a letter, then letters and `_`. Case-insensitive. */
  readonly name: string;
  /** The types of the fixed parameters, in order. Arguments are cast to them before the call (section 3.7). */
  readonly parameters: readonly CesqlParameterType[];
  /** When set, the function is variadic: it takes any number of further arguments of this type. */
  readonly variadic?: CesqlParameterType;
  readonly returns: CesqlType;
  /**
   * Computes the result from arguments already cast to the parameter types. It must be pure (section 1:
   * CESQL is a total pure language). If it throws, or returns something that is not a value of `returns`,
   * the call yields the zero value of `returns` and a FunctionEvaluationError (section 3.5.3).
   */
  readonly call: (args: readonly CesqlValue[], context: CesqlFunctionContext) => CesqlValue;
}

const TYPES: ReadonlySet<string> = new Set(['Boolean', 'Integer', 'String']);
const PARAMETER_TYPES: ReadonlySet<string> = new Set(['Boolean', 'Integer', 'String', 'Any']);

interface Overloads {
  readonly fixed: Map<number, CesqlFunction>;
  variadic?: CesqlFunction;
}

/**
 * The functions an expression may call. A new registry holds the built-ins of section 3.5 unless
 * `{ builtins: false }`; `define` adds user-defined functions. Calls are resolved when an expression is
 * compiled, so defining a function later does not change programs compiled before.
 */
export class FunctionRegistry {
  private readonly overloads = new Map<string, Overloads>();

  constructor(options: { readonly builtins?: boolean } = {}) {
    if (options.builtins !== false) for (const fn of BUILTIN_FUNCTIONS) this.define(fn);
  }

  /**
   * Adds a function. Throws a TypeError for a malformed definition, and for one the overloading rules of
   * section 3.5 forbid: a second definition with the same name and arity, a second variadic definition, or
   * a variadic one whose fixed parameters do not outnumber every other definition's.
   */
  define(fn: CesqlFunction): this {
    checkShape(fn);
    const name = fn.name.toUpperCase();
    const overloads = this.overloads.get(name) ?? { fixed: new Map<number, CesqlFunction>() };
    const arity = fn.parameters.length;
    if (fn.variadic !== undefined) {
      if (overloads.variadic !== undefined)
        throw new TypeError(`cesql: ${name} already has a variadic definition`);
      const longest = Math.max(-1, ...overloads.fixed.keys());
      if (arity <= longest) {
        throw new TypeError(
          `cesql: a variadic ${name} needs more than ${longest} fixed parameters (another ${name} takes ${longest})`,
        );
      }
      overloads.variadic = fn;
    } else {
      if (overloads.fixed.has(arity))
        throw new TypeError(`cesql: ${name} with ${arity} parameters is already defined`);
      const variadic = overloads.variadic;
      if (variadic !== undefined && arity >= variadic.parameters.length) {
        throw new TypeError(
          `cesql: ${name} with ${arity} parameters clashes with the variadic ${name} (${variadic.parameters.length} fixed)`,
        );
      }
      overloads.fixed.set(arity, fn);
    }
    this.overloads.set(name, overloads);
    return this;
  }

  /** The definition a call of `name` with `arity` arguments dispatches to, if any. */
  resolve(name: string, arity: number): CesqlFunction | undefined {
    const overloads = this.overloads.get(name.toUpperCase());
    if (overloads === undefined) return undefined;
    const fixed = overloads.fixed.get(arity);
    if (fixed !== undefined) return fixed;
    const variadic = overloads.variadic;
    return variadic !== undefined && arity >= variadic.parameters.length ? variadic : undefined;
  }

  /** True when some definition of `name` exists, whatever its arity. */
  has(name: string): boolean {
    return this.overloads.has(name.toUpperCase());
  }
}

function checkShape(fn: CesqlFunction): void {
  if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
    throw new TypeError(
      `cesql: invalid function name ${JSON.stringify(fn.name)} (a letter, then letters and '_')`,
    );
  }
  const types = [...fn.parameters, ...(fn.variadic === undefined ? [] : [fn.variadic])];
  if (!types.every((type) => PARAMETER_TYPES.has(type))) {
    throw new TypeError(`cesql: ${fn.name}: parameter types must be Boolean, Integer, String or Any`);
  }
  if (!TYPES.has(fn.returns))
    throw new TypeError(`cesql: ${fn.name}: return type must be Boolean, Integer or String`);
  if (typeof fn.call !== 'function') throw new TypeError(`cesql: ${fn.name}: call must be a function`);
}

/** The registry used when compileCesql is given none: the built-ins only. */
export const DEFAULT_FUNCTIONS = new FunctionRegistry();
