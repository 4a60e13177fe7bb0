import { matchEveryAttribute } from './attributes.js';
import type { EventPredicate } from './types.js';

/** `suffix`: every listed attribute ends with its value, case-sensitive (SubscriptionsAPIFilter.Suffix). */
export function compileSuffix(attributes: Readonly<Record<string, string>>): EventPredicate {
  return matchEveryAttribute(attributes, (actual, expected) => actual.endsWith(expected));
}
