/**
 * The syntax tree the parser produces and the compiler consumes. `offset` is where the node's identifying
 * token starts (the operator of an operation, the name of a call or attribute), used in error messages.
 */
import type { CesqlValue } from './types.js';

export type ComparisonOperator = '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type LogicOperator = 'AND' | 'OR' | 'XOR';

export type Expr =
  | { readonly kind: 'literal'; readonly value: CesqlValue; readonly offset: number }
  /** `name` is lower case: attribute names are case-insensitive (CloudEvents names are lower case). */
  | { readonly kind: 'attribute'; readonly name: string; readonly offset: number }
  | { readonly kind: 'exists'; readonly name: string; readonly offset: number }
  | { readonly kind: 'not'; readonly operand: Expr; readonly offset: number }
  | { readonly kind: 'negate'; readonly operand: Expr; readonly offset: number }
  | {
      readonly kind: 'comparison';
      readonly op: ComparisonOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly offset: number;
    }
  | {
      readonly kind: 'arithmetic';
      readonly op: ArithmeticOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly offset: number;
    }
  /** A run of one logic operator, flattened: `a AND b AND c` has three operands. */
  | {
      readonly kind: 'logic';
      readonly op: LogicOperator;
      readonly operands: readonly Expr[];
      readonly offset: number;
    }
  | {
      readonly kind: 'like';
      readonly operand: Expr;
      readonly pattern: string;
      readonly negated: boolean;
      readonly offset: number;
    }
  | {
      readonly kind: 'in';
      readonly operand: Expr;
      readonly set: readonly Expr[];
      readonly negated: boolean;
      readonly offset: number;
    }
  /** `name` is upper case: function names are case-insensitive. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly offset: number };
