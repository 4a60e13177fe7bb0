/**
 * Admission of destinations by the outbound guard: every `uri` in an object's spec (a trigger's subscriber,
 * a dead-letter sink, a reply) that names a refused address is a field error, so the API answers 422 before
 * anything is stored. Names resolved later are checked again at connect time (the sender's lookup).
 */
import type { FieldError } from '../errors.js';
import type { Resource } from '../resources/object.js';
import { uriRefusal, type OutboundGuard } from './guard.js';

export function outboundFieldErrors(guard: OutboundGuard, object: Resource): FieldError[] {
  const errors: FieldError[] = [];
  visit((object as { spec?: unknown }).spec, 'spec', (path, uri) => {
    const refusal = uriRefusal(guard, uri);
    if (refusal !== undefined) errors.push({ field: path, message: `destination refused: ${refusal}` });
  });
  return errors;
}

function visit(value: unknown, path: string, onUri: (path: string, uri: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => visit(item, `${path}[${i}]`, onUri));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'uri' && typeof child === 'string') onUri(`${path}.uri`, child);
    else visit(child, `${path}.${key}`, onUri);
  }
}
