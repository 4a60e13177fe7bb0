/**
 * Turns a syntax tree into a tree of closures, once per expression (STYLE 1): evaluation then does no
 * parsing, no type dispatch that compile time could settle, and no allocation beyond what values need.
 */
import type { Expr } from './ast.js';
import { call } from './calls.js';
import type { FunctionRegistry } from './functions.js';
import { attribute, exists, literal } from './nodes.js';
import type { Node } from './nodes.js';
import { arithmetic, comparison, logic, negate, not } from './operators.js';
import { inSet, like } from './predicates.js';
import { Site } from './types.js';

export function compileExpr(source: string, expr: Expr, functions: FunctionRegistry): Node {
  const site = new Site(source, expr.offset);
  const compile = (child: Expr): Node => compileExpr(source, child, functions);
  switch (expr.kind) {
    case 'literal':
      return literal(expr.value, site);
    case 'attribute':
      return attribute(expr.name, site);
    case 'exists':
      return exists(expr.name, site);
    case 'not':
      return not(compile(expr.operand), site);
    case 'negate':
      return negate(compile(expr.operand), site);
    case 'arithmetic':
      return arithmetic(expr.op, compile(expr.left), compile(expr.right), site);
    case 'comparison':
      return comparison(expr.op, compile(expr.left), compile(expr.right), site);
    case 'logic':
      return logic(expr.op, expr.operands.map(compile), site);
    case 'like':
      return like(compile(expr.operand), expr.pattern, expr.negated, site);
    case 'in':
      return inSet(compile(expr.operand), expr.set.map(compile), expr.negated, site);
    case 'call':
      return call(expr.name, expr.args.map(compile), functions, site);
  }
}
