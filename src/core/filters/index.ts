/** Trigger filters: validation at admission, compilation to predicates, and the per-broker routing index. */
export type { EventPredicate, TriggerFilterSpec, CompileOptions } from './types.js';
export { validateTriggerFilters } from './validate.js';
export { compileTriggerFilter } from './compile.js';
export { TriggerIndex } from './trigger-index.js';
export type { TriggerIndexOptions } from './trigger-index.js';
