import { matchEveryAttribute } from './attributes.js';
import type { EventPredicate } from './types.js';

/** `prefix`: every listed attribute starts with its value, case-sensitive (SubscriptionsAPIFilter.Prefix). */
export function compilePrefix(attributes: Readonly<Record<string, string>>): EventPredicate {
  return matchEveryAttribute(attributes, (actual, expected) => actual.startsWith(expected));
}
