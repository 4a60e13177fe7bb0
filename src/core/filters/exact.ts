import { matchEveryAttribute } from './attributes.js';
import type { EventPredicate } from './types.js';

/** `exact`: every listed attribute equals its value, case-sensitive (Knative SubscriptionsAPIFilter.Exact). */
export function compileExact(attributes: Readonly<Record<string, string>>): EventPredicate {
  return matchEveryAttribute(attributes, (actual, expected) => actual === expected);
}
