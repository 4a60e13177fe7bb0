import { attributeString } from './attributes.js';
import type { EventPredicate } from './types.js';

/**
 * The legacy `spec.filter.attributes`: every listed attribute equals its value. The value `""` means "any
 * value" in Knative (TriggerFilterAttributes); cemesh reads it as "the attribute is present and non-empty"
 * (ARCHITECTURE 3), so an event that lacks the attribute does not match.
 */
export function compileLegacyAttributes(attributes: Readonly<Record<string, string>>): EventPredicate {
  const pairs = Object.entries(attributes);
  if (pairs.length === 0) return () => true;
  return (event) =>
    pairs.every(([name, expected]) => {
      const actual = attributeString(event, name);
      if (actual === undefined) return false;
      return expected === '' ? actual !== '' : actual === expected;
    });
}
