/**
 * Function invocations (CESQL v1 sections 2.4, 3.5). The definition is chosen by name and arity at compile
 * time; arguments are cast to the parameter types (section 3.7, rule 3: "cast all the arguments").
 */
import { isBuiltin } from './builtins.js';
import type {
  CesqlFunction,
  CesqlFunctionContext,
  CesqlFunctionErrorKind,
  FunctionRegistry,
} from './functions.js';
import { asType, fold } from './nodes.js';
import type { Eval, Node } from './nodes.js';
import { isValueOf, zeroOf } from './types.js';
import type { CesqlValue, EvaluationState, Site } from './types.js';

const FUNCTION_ERROR_KINDS: ReadonlySet<string> = new Set(['functionEvaluation', 'math', 'cast']);

export function call(name: string, args: readonly Node[], registry: FunctionRegistry, site: Site): Node {
  const fn = registry.resolve(name, args.length);
  if (fn === undefined) return missingFunction(name, args.length, registry, site);
  const params = args.map((arg, i): Eval<CesqlValue> => {
    const type = fn.parameters[i] ?? fn.variadic ?? 'Any';
    return type === 'Any' ? arg.evaluate : asType(arg, type);
  });
  const zero = zeroOf(fn.returns);
  if (isBuiltin(fn)) {
    const context = new BuiltinContext(name, site);
    const evaluate: Eval<CesqlValue> = (a, s) => {
      const values = evaluateArguments(params, a, s);
      if (values === undefined) return zero;
      context.state = s;
      return fn.call(values, context);
    };
    return fold({ type: fn.returns, site, evaluate }, args);
  }
  return { type: fn.returns, site, evaluate: userDefined(fn, name, params, site) };
}

/** Section 3.5: a call that cannot be dispatched is false and a MissingFunctionError. */
function missingFunction(name: string, arity: number, registry: FunctionRegistry, site: Site): Node {
  const text = registry.has(name)
    ? `no definition of ${name} takes ${arity} argument${arity === 1 ? '' : 's'}`
    : `unknown function ${name}`;
  return {
    type: 'Boolean',
    site,
    evaluate: (_a, s) => {
      s.fail('missingFunction', text, site);
      return false;
    },
  };
}

function evaluateArguments(
  params: readonly Eval<CesqlValue>[],
  a: Parameters<Eval<CesqlValue>>[0],
  s: EvaluationState,
): CesqlValue[] | undefined {
  const values = new Array<CesqlValue>(params.length);
  for (let i = 0; i < params.length; i++) {
    values[i] = params[i]!(a, s);
    if (s.failed) return undefined;
  }
  return values;
}

/** The context handed to built-ins: one per call site, pointed at the current evaluation before each call. */
class BuiltinContext implements CesqlFunctionContext {
  state: EvaluationState | undefined;

  constructor(
    private readonly name: string,
    private readonly site: Site,
  ) {}

  error(message: string, kind: CesqlFunctionErrorKind = 'functionEvaluation'): void {
    this.state?.fail(kind, `${this.name}: ${message}`, this.site);
  }
}

/**
 * A user-defined function is not trusted: section 3.5.3 says that when it fails to give a valid value of
 * its return type, the call yields the zero value and a FunctionEvaluationError. A throw counts as failing.
 */
function userDefined(
  fn: CesqlFunction,
  name: string,
  params: readonly Eval<CesqlValue>[],
  site: Site,
): Eval<CesqlValue> {
  const zero = zeroOf(fn.returns);
  return (a, s) => {
    const values = evaluateArguments(params, a, s);
    if (values === undefined) return zero;
    const context: CesqlFunctionContext = {
      error: (message, kind) => {
        const checked = kind !== undefined && FUNCTION_ERROR_KINDS.has(kind) ? kind : 'functionEvaluation';
        s.fail(checked, `${name}: ${String(message)}`, site);
      },
    };
    let value: unknown;
    try {
      value = fn.call(values, context);
    } catch (error) {
      s.fail(
        'functionEvaluation',
        `${name} threw: ${error instanceof Error ? error.message : String(error)}`,
        site,
      );
      return zero;
    }
    if (isValueOf(value, fn.returns)) return value;
    s.fail('functionEvaluation', `${name} returned ${describe(value)}, not a valid ${fn.returns}`, site);
    return zero;
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  return typeof value;
}
