/**
 * What a routing index can learn from an expression without evaluating it: the string value an attribute
 * must equal for the expression to be true. `type = 'order.created' AND amount > 10` can only pass events
 * whose type is `order.created`, so a broker can look such a trigger up by type instead of evaluating it
 * for every event (ARCHITECTURE 3, "Routing cost").
 *
 * Only what is certain counts: a top-level `attribute = 'string'` comparison (either side), or one inside a
 * top-level AND chain. A false conjunct makes AND false, and an evaluation error means no match, so an event
 * with another value can never pass. Integer or Boolean literals do not count (`type = 1` casts the
 * attribute, so `01` would pass too), nor OR, XOR, NOT, IN or LIKE.
 */
import type { Expr } from './ast.js';
import { parse } from './parser.js';

/** The value `attribute` (lower case) must equal for `expression` to pass, or undefined when none is certain. */
export function requiredAttributeValue(expression: string, attribute: string): string | undefined {
  return requiredIn(parse(expression), attribute);
}

/**
 * Whether `expression` is nothing but `attribute = 'value'` (either side, any parentheses): then it passes
 * exactly the events whose attribute is that string, and an index that looked the trigger up by it need
 * not evaluate it.
 */
export function isOnlyEquality(expression: string, attribute: string, value: string): boolean {
  const expr = parse(expression);
  if (expr.kind !== 'comparison' || expr.op !== '=') return false;
  return (
    (equalityValue(expr.left, expr.right, attribute) ?? equalityValue(expr.right, expr.left, attribute)) ===
    value
  );
}

function requiredIn(expr: Expr, attribute: string): string | undefined {
  if (expr.kind === 'logic' && expr.op === 'AND') {
    for (const operand of expr.operands) {
      const value = requiredIn(operand, attribute);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  if (expr.kind !== 'comparison' || expr.op !== '=') return undefined;
  return equalityValue(expr.left, expr.right, attribute) ?? equalityValue(expr.right, expr.left, attribute);
}

function equalityValue(side: Expr, other: Expr, attribute: string): string | undefined {
  if (side.kind !== 'attribute' || side.name !== attribute) return undefined;
  return other.kind === 'literal' && typeof other.value === 'string' ? other.value : undefined;
}
