/**
 * Admission of destinations by the outbound guard: every `uri` in an object's spec (a trigger's subscriber,
 * a dead-letter sink, a reply) that names a refused address is a field error, so the API answers 422 before
 * anything is stored. Names resolved later are checked again at connect time (the sender's lookup).
 */
import { X509Certificate } from 'node:crypto';
import { pemCertificates } from '../../core/delivery/destination.js';
import type { FieldError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/object.js';
import { uriRefusal, type OutboundGuard } from './guard.js';

export function outboundFieldErrors(guard: OutboundGuard, object: Resource): FieldError[] {
  const errors: FieldError[] = [];
  visit((object as { spec?: unknown }).spec, 'spec', (path, key, text) => {
    if (key === 'CACerts') {
      const problem = certificateProblem(text);
      if (problem !== undefined) errors.push({ field: path, message: problem });
      return;
    }
    const refusal = uriRefusal(guard, text);
    if (refusal !== undefined) errors.push({ field: path, message: `destination refused: ${refusal}` });
  });
  return errors;
}

/** A destination's CACerts (its form checked by validation) must parse as X.509 certificates, or TLS would fail later. */
function certificateProblem(text: string): string | undefined {
  for (const [i, block] of pemCertificates(text).entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `certificate ${i + 1} is not a valid X.509 certificate`;
    }
  }
  return undefined;
}

function visit(
  value: unknown,
  path: string,
  onText: (path: string, key: 'uri' | 'CACerts', text: string) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => visit(item, `${path}[${i}]`, onText));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'uri' || key === 'CACerts') && typeof child === 'string')
      onText(`${path}.${key}`, key, child);
    else visit(child, `${path}.${key}`, onText);
  }
}
