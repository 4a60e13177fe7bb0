import type { CloudEvent } from '../cloudevents/model.js';
import type { EventPredicate } from './types.js';

/**
 * The string form of an attribute used for matching: strings as-is, Integers in decimal, Booleans as
 * `true`/`false` (the canonical string encodings of CloudEvents 1.0 section "Type System").
 * `undefined` when the event lacks the attribute, which never matches.
 */
export function attributeString(event: CloudEvent, name: string): string | undefined {
  const value = Object.hasOwn(event.attributes, name) ? event.attributes[name] : undefined;
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/**
 * CloudEvents 1.0 section "Attribute Naming Convention": names MUST consist of lower-case ASCII letters and
 * digits. (Knative's webhook also demands a leading letter; cemesh accepts every name an event can carry.)
 */
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;

export function isValidAttributeName(name: string): boolean {
  return ATTRIBUTE_NAME.test(name);
}

/**
 * A predicate that is true when every listed attribute is present and `test(actual, expected)` holds,
 * the shared shape of the exact, prefix and suffix dialects.
 */
export function matchEveryAttribute(
  attributes: Readonly<Record<string, string>>,
  test: (actual: string, expected: string) => boolean,
): EventPredicate {
  const pairs = Object.entries(attributes);
  if (pairs.length === 1) {
    const [name, expected] = pairs[0]!;
    return (event) => {
      const actual = attributeString(event, name);
      return actual !== undefined && test(actual, expected);
    };
  }
  return (event) =>
    pairs.every(([name, expected]) => {
      const actual = attributeString(event, name);
      return actual !== undefined && test(actual, expected);
    });
}
