import type { EventPredicate } from './types.js';

/** `all` (and a top-level `filters` list): true when every nested filter is true. */
export function compileAll(filters: readonly EventPredicate[]): EventPredicate {
  if (filters.length === 1) return filters[0]!;
  return (event) => filters.every((filter) => filter(event));
}
