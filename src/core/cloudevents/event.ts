/** Deriving events from events without mutating them. */
import type { AttributeValue, CloudEvent } from './model.js';
import { validateAttribute } from './validate.js';

/**
 * A copy of `event` with attributes set (or removed, for `undefined`). Each set attribute is validated by
 * itself (name, type, format); whether the result still has every required attribute is the caller's call
 * (see validateEvent). `data` is shared, not copied.
 */
export function withAttributes(
  event: CloudEvent,
  changes: Record<string, string | number | boolean | undefined>,
): CloudEvent {
  const attributes: Record<string, AttributeValue> = {};
  const current = event.attributes;
  for (const name of Object.keys(current)) {
    if (Object.hasOwn(changes, name)) {
      const value = changes[name];
      if (value === undefined) continue;
      validateAttribute(name, value);
      attributes[name] = value;
    } else {
      attributes[name] = current[name] as AttributeValue;
    }
  }
  for (const name of Object.keys(changes)) {
    const value = changes[name];
    if (value === undefined || Object.hasOwn(current, name)) continue;
    validateAttribute(name, value);
    attributes[name] = value;
  }
  return event.data === undefined ? { attributes } : { attributes, data: event.data };
}
