/**
 * CESQL v1, the CloudEvents SQL expression language: compile an expression once, evaluate it per event.
 * See docs/cesql.md for what is supported, the deviations, and the user-defined function API.
 */
export type { CesqlValue, CesqlType } from './types.js';
export { CesqlError, isCesqlError } from './errors.js';
export type { CesqlErrorKind, CesqlPosition } from './errors.js';
export { compileCesql, compileCesqlPredicate } from './program.js';
export type { CesqlResult, CesqlProgram, CesqlCompileOptions, CesqlPredicateOptions } from './program.js';
export { FunctionRegistry } from './functions.js';
export type {
  CesqlFunction,
  CesqlFunctionContext,
  CesqlFunctionErrorKind,
  CesqlParameterType,
} from './functions.js';
export { findUnknownFunction } from './admission.js';
