/**
 * Admission checks beyond the grammar. The spec makes an unknown function an evaluation error
 * (missingFunction), so such a filter would compile and then never match: for a trigger that is a filter
 * silently dropped. Admission therefore refuses calls that no registered function can take.
 */
import type { Expr } from './ast.js';
import { formatPosition, positionAt } from './errors.js';
import { DEFAULT_FUNCTIONS, type FunctionRegistry } from './functions.js';
import { parse } from './parser.js';

/** A message naming the first call no function can take, or undefined when every call resolves. */
export function findUnknownFunction(
  expression: string,
  registry: FunctionRegistry = DEFAULT_FUNCTIONS,
): string | undefined {
  const unknown = firstUnresolved(parse(expression), registry);
  if (!unknown) return undefined;
  const where = formatPosition(positionAt(expression, unknown.offset));
  return `cesql: unknown function ${unknown.name} with ${unknown.args.length} argument(s) ${where}`;
}

function firstUnresolved(
  expr: Expr,
  registry: FunctionRegistry,
): Extract<Expr, { kind: 'call' }> | undefined {
  switch (expr.kind) {
    case 'literal':
    case 'attribute':
    case 'exists':
      return undefined;
    case 'not':
    case 'negate':
      return firstUnresolved(expr.operand, registry);
    case 'comparison':
    case 'arithmetic':
      return firstUnresolved(expr.left, registry) ?? firstUnresolved(expr.right, registry);
    case 'logic':
      return first(expr.operands, registry);
    case 'like':
      return firstUnresolved(expr.operand, registry);
    case 'in':
      return firstUnresolved(expr.operand, registry) ?? first(expr.set, registry);
    case 'call':
      return first(expr.args, registry) ?? (registry.resolve(expr.name, expr.args.length) ? undefined : expr);
  }
}

function first(
  exprs: readonly Expr[],
  registry: FunctionRegistry,
): Extract<Expr, { kind: 'call' }> | undefined {
  for (const expr of exprs) {
    const found = firstUnresolved(expr, registry);
    if (found) return found;
  }
  return undefined;
}
