import type { FieldError } from '../../errors.js';
import { fieldError } from '../fields.js';
import type { Resource } from '../object.js';

/**
 * A ConfigMap marked `immutable: true` keeps its data and the mark itself, as in Kubernetes: consumers may
 * cache it without watching it.
 */
export function validateConfigMapUpdate(previous: Resource, next: Resource): FieldError[] {
  if (previous.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (next.immutable !== true) errors.push(fieldError('immutable', 'cannot be unset once true'));
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
  if (!same(previous.data, next.data))
    errors.push(fieldError('data', 'is immutable because immutable is true'));
  if (!same(previous.binaryData, next.binaryData)) {
    errors.push(fieldError('binaryData', 'is immutable because immutable is true'));
  }
  return errors;
}

function sorted(map: unknown): unknown {
  if (typeof map !== 'object' || map === null) return {};
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
