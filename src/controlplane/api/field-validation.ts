/**
 * `?fieldValidation=` on writes, as the Kubernetes API server reads it (KEP-2885): `Strict` (cemesh's
 * default, as `kubectl --validate=strict` asks) refuses an unknown field with 422 naming its path; `Warn`
 * stores the object without it and says so in a `Warning` header per field; `Ignore` stores it without it,
 * silently. Fields a kind declares and cemesh does not support are refused whatever the mode: dropping them
 * would change what the object means.
 */
import { MeshError } from '../../core/errors.js';
import { pruneUnknownFields, type Resource } from '../../core/resources/index.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const MODES: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

/** Kubernetes bounds the warnings of one response (4 KiB of text); so does cemesh, saying how many it left. */
const WARNINGS_MAX_BYTES = 4096;

/** The mode a write asks for; an empty or absent parameter is the default, any other value a 400. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Strict';
  const mode = MODES.find((m) => m === value);
  if (mode !== undefined) return mode;
  throw new MeshError(
    'MESH_REQUEST_INVALID',
    `fieldValidation must be ${MODES.join(', ')} or left out (Strict), not ${JSON.stringify(value)}`,
  );
}

/**
 * The object to admit and the warnings to send. Strict leaves the object as it is, for validation to refuse
 * its unknown fields; Warn and Ignore drop them (what Kubernetes does with a custom resource's).
 */
export function withFieldValidation(
  object: Resource,
  mode: FieldValidation,
): { object: Resource; warnings: string[] } {
  if (mode === 'Strict') return { object, warnings: [] };
  const pruned = pruneUnknownFields(object);
  const warnings =
    mode === 'Warn' ? pruned.unknown.map((path) => `unknown field ${JSON.stringify(path)}`) : [];
  return { object: pruned.object, warnings };
}

/**
 * `Warning` header values (RFC 7234 5.5, code 299 "miscellaneous persistent warning", agent `-`), as the
 * Kubernetes API server writes them. Non-ASCII is escaped, since header values must be ASCII.
 */
export function warningHeaders(warnings: readonly string[]): string[] {
  const headers: string[] = [];
  let bytes = 0;
  for (const [i, warning] of warnings.entries()) {
    const value = `299 - ${asciiQuoted(warning)}`;
    if (bytes + value.length > WARNINGS_MAX_BYTES) {
      headers.push(`299 - ${asciiQuoted(`${warnings.length - i} more warnings were left out`)}`);
      break;
    }
    bytes += value.length;
    headers.push(value);
  }
  return headers;
}

function asciiQuoted(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
