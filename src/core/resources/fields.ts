/**
 * Small helpers every kind's validation uses: type guards for decoded JSON/YAML, field paths in the
 * Kubernetes style (`spec.filters[1].cesql`, `metadata.annotations[eventing.knative.dev/broker.class]`) and
 * checks that accumulate errors instead of stopping at the first one (STYLE.md item 7).
 */
import type { FieldError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

/** A mapping decoded from JSON or YAML (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `path.name`, or `name` at the root. */
export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** `path[i]` for a list element. */
export function item(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** `path[key]` for a map key that may hold dots or slashes (labels, annotations). */
export function key(path: string, name: string): string {
  return `${path}[${name}]`;
}

export function fieldError(field: string, message: string): FieldError {
  return { field, message };
}

/** How a value is described in messages: `a string`, `a number`, `a list`, ... */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** Quotes a user value in a message, JSON style, cut to a readable length. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Null means "absent" in decoded YAML (`spec:` with nothing under it), as Kubernetes treats it; this reads
 * an optional field that way.
 */
export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** An optional mapping: absent is fine, anything but a mapping is an error. */
export function checkOptionalObject(value: unknown, path: string, errors: FieldError[]): value is JsonObject {
  if (isAbsent(value)) return false;
  if (!isObject(value)) {
    errors.push(fieldError(path, `must be a mapping, not ${describeType(value)}`));
    return false;
  }
  return true;
}

/** An optional string: absent is fine. */
export function checkOptionalString(value: unknown, path: string, errors: FieldError[]): value is string {
  if (isAbsent(value)) return false;
  if (typeof value !== 'string') {
    errors.push(fieldError(path, `must be a string, not ${describeType(value)}`));
    return false;
  }
  return true;
}

/** A required, non-empty string. */
export function checkRequiredString(value: unknown, path: string, errors: FieldError[]): value is string {
  if (isAbsent(value) || value === '') {
    errors.push(fieldError(path, 'required'));
    return false;
  }
  return checkOptionalString(value, path, errors);
}

export function checkOptionalBoolean(value: unknown, path: string, errors: FieldError[]): void {
  if (!isAbsent(value) && typeof value !== 'boolean') {
    errors.push(fieldError(path, `must be a boolean, not ${describeType(value)}`));
  }
}

/** A mapping of strings to strings (ConfigMap data, Application labels). */
export function checkStringMap(value: unknown, path: string, errors: FieldError[]): value is JsonObject {
  if (!checkOptionalObject(value, path, errors)) return false;
  let ok = true;
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      errors.push(fieldError(key(path, name), `must be a string, not ${describeType(entry)}`));
      ok = false;
    }
  }
  return ok;
}

/** A list of strings. */
export function checkStringList(value: unknown, path: string, errors: FieldError[]): void {
  if (isAbsent(value)) return;
  if (!Array.isArray(value)) {
    errors.push(fieldError(path, `must be a list, not ${describeType(value)}`));
    return;
  }
  value.forEach((entry, i) => {
    if (typeof entry !== 'string') {
      errors.push(fieldError(item(path, i), `must be a string, not ${describeType(entry)}`));
    }
  });
}
