import type { EventPredicate } from './types.js';

/** `any`: true when at least one nested filter is true. */
export function compileAny(filters: readonly EventPredicate[]): EventPredicate {
  if (filters.length === 1) return filters[0]!;
  return (event) => filters.some((filter) => filter(event));
}
