/**
 * Unary, arithmetic, comparison and logic operators (CESQL v1 sections 3.4.1, 3.4.2), each compiled to a
 * closure of its own so that the hot path has no operator dispatch. Every node follows the propagation rule
 * of nodes.ts: an operand error makes the node return its zero value at once.
 */
import type { ArithmeticOperator, ComparisonOperator, LogicOperator } from './ast.js';
import { asBoolean, asInteger, asType, fold, missingAttributeText } from './nodes.js';
import type { Eval, Node } from './nodes.js';
import { castTo, clampInteger, INT_MIN, typeOfValue } from './types.js';
import type { EvaluationState, Site } from './types.js';

export function not(operand: Node, site: Site): Node {
  const f = asBoolean(operand);
  return fold({ type: 'Boolean', site, evaluate: (a, s) => !f(a, s) && !s.failed }, [operand]);
}

/** Unary minus; the negation of the most negative Integer overflows (see clampInteger). */
export function negate(operand: Node, site: Site): Node {
  const f = asInteger(operand);
  const evaluate: Eval<number> = (a, s) => {
    const x = f(a, s);
    if (s.failed) return 0;
    return x === INT_MIN ? clampInteger(-x, s, site, 'negation') : 0 - x;
  };
  return fold({ type: 'Integer', site, evaluate }, [operand]);
}

/** `+ - * / %` over Integers; results outside 32 bits are a MathError (clampInteger). */
export function arithmetic(op: ArithmeticOperator, left: Node, right: Node, site: Site): Node {
  const l = asInteger(left);
  const r = asInteger(right);
  let evaluate: Eval<number>;
  switch (op) {
    case '+':
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return 0;
        const y = r(a, s);
        return s.failed ? 0 : clampInteger(x + y, s, site, 'addition');
      };
      break;
    case '-':
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return 0;
        const y = r(a, s);
        return s.failed ? 0 : clampInteger(x - y, s, site, 'subtraction');
      };
      break;
    case '*':
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return 0;
        const y = r(a, s);
        return s.failed ? 0 : clampInteger(x * y, s, site, 'multiplication');
      };
      break;
    case '/':
      // Section 3.4.2: rounded towards 0; division by zero is 0 and a MathError.
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return 0;
        const y = r(a, s);
        if (s.failed) return 0;
        if (y === 0) return divisionByZero(s, site);
        return clampInteger(Math.trunc(x / y), s, site, 'division');
      };
      break;
    case '%':
      // Section 3.4.2: the remainder has the sign of x, as JavaScript's % does.
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return 0;
        const y = r(a, s);
        if (s.failed) return 0;
        return y === 0 ? divisionByZero(s, site) : (x % y) | 0;
      };
      break;
  }
  return fold({ type: 'Integer', site, evaluate }, [left, right]);
}

function divisionByZero(state: EvaluationState, site: Site): number {
  state.fail('math', 'division by zero', site);
  return 0;
}

export function comparison(op: ComparisonOperator, left: Node, right: Node, site: Site): Node {
  const node =
    op === '=' || op === '!=' || op === '<>'
      ? equality(op !== '=', left, right, site)
      : ordering(op, left, right, site);
  return fold(node, [left, right]);
}

/** `< <= > >=` exist for Integers only, so both operands are cast to Integer. */
function ordering(op: ComparisonOperator, left: Node, right: Node, site: Site): Node {
  const l = asInteger(left);
  const r = asInteger(right);
  let evaluate: Eval<boolean>;
  switch (op) {
    case '<':
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return false;
        const y = r(a, s);
        return !s.failed && x < y;
      };
      break;
    case '<=':
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return false;
        const y = r(a, s);
        return !s.failed && x <= y;
      };
      break;
    case '>':
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return false;
        const y = r(a, s);
        return !s.failed && x > y;
      };
      break;
    default:
      evaluate = (a, s) => {
        const x = l(a, s);
        if (s.failed) return false;
        const y = r(a, s);
        return !s.failed && x >= y;
      };
      break;
  }
  return { type: 'Boolean', site, evaluate };
}

/**
 * `=`, `!=`, `<>` are ambiguous (defined for each type): section 3.7 casts the left operand to the type of
 * the right one. When the right operand's type is known at compile time the cast is chosen then; when it is
 * an attribute, at run time from the value. On an error the result is false, also for `!=`.
 */
function equality(negated: boolean, left: Node, right: Node, site: Site): Node {
  const constant = right.constant?.value;
  if (constant !== undefined && left.attribute !== undefined && typeof constant === 'string') {
    return {
      type: 'Boolean',
      site,
      evaluate: attributeEqualsString(left.attribute, constant, negated, left.site),
    };
  }
  if (right.type !== 'Any') {
    const l = asType(left, right.type);
    const r = right.evaluate;
    const evaluate: Eval<boolean> = (a, s) => {
      const x = l(a, s);
      if (s.failed) return false;
      const y = r(a, s);
      return !s.failed && (x === y) !== negated;
    };
    return { type: 'Boolean', site, evaluate };
  }
  const l = left.evaluate;
  const r = right.evaluate;
  const evaluate: Eval<boolean> = (a, s) => {
    const x = l(a, s);
    if (s.failed) return false;
    const y = r(a, s);
    if (s.failed) return false;
    const cast = typeof x === typeof y ? x : castTo(typeOfValue(y), x, s, left.site);
    return !s.failed && (cast === y) !== negated;
  };
  return { type: 'Boolean', site, evaluate };
}

/** `attr = 'text'`, the most common filter, as one closure: a property read and a string comparison. */
function attributeEqualsString(name: string, text: string, negated: boolean, site: Site): Eval<boolean> {
  const missing = missingAttributeText(name);
  if (!negated) {
    return (a, s) => {
      const v = a[name];
      if (v === text) return true;
      if (typeof v === 'string') return false;
      if (v === undefined) {
        s.fail('missingAttribute', missing, site);
        return false;
      }
      return String(v) === text;
    };
  }
  return (a, s) => {
    const v = a[name];
    if (typeof v === 'string') return v !== text;
    if (v === undefined) {
      s.fail('missingAttribute', missing, site);
      return false;
    }
    return String(v) !== text;
  };
}

/**
 * AND, OR, XOR over Booleans, on a flattened run of operands. AND and OR MUST short-circuit (section 3.6):
 * evaluation stops at the first false (AND) or true (OR) operand, and at the first error.
 */
export function logic(op: LogicOperator, operands: readonly Node[], site: Site): Node {
  const fs = operands.map((operand) => asBoolean(operand));
  let evaluate: Eval<boolean>;
  if (op === 'AND') {
    evaluate =
      fs.length === 2
        ? and2(fs[0]!, fs[1]!)
        : (a, s) => {
            for (const f of fs) if (!f(a, s) || s.failed) return false;
            return true;
          };
  } else if (op === 'OR') {
    evaluate =
      fs.length === 2
        ? or2(fs[0]!, fs[1]!)
        : (a, s) => {
            for (const f of fs) {
              const x = f(a, s);
              if (s.failed) return false;
              if (x) return true;
            }
            return false;
          };
  } else {
    evaluate = (a, s) => {
      let result = false;
      for (const f of fs) {
        const x = f(a, s);
        if (s.failed) return false;
        result = result !== x;
      }
      return result;
    };
  }
  return fold({ type: 'Boolean', site, evaluate }, operands);
}

function and2(f: Eval<boolean>, g: Eval<boolean>): Eval<boolean> {
  return (a, s) => f(a, s) && !s.failed && g(a, s) && !s.failed;
}

function or2(f: Eval<boolean>, g: Eval<boolean>): Eval<boolean> {
  return (a, s) => {
    const x = f(a, s);
    if (s.failed) return false;
    return x || (g(a, s) && !s.failed);
  };
}
