/**
 * A Knative `Destination` (duck/v1): where events go, as an absolute URL, a reference to an addressable
 * object, or both.
 */
import type { FieldError } from '../errors.js';
import { urlParts } from '../url-parts.js';

export interface DestinationSpec {
  uri?: string;
  ref?: { apiVersion?: string; kind: string; name: string; namespace?: string };
  /** PEM certificates trusted for this destination's HTTPS, besides the system's (Knative's CACerts). */
  CACerts?: string;
}

/**
 * Knative's rule (knative.dev/pkg duck/v1 Destination validation), which cemesh keeps so that real Knative
 * YAML is accepted:
 * - `uri` alone: an absolute URL; cemesh delivers over HTTP, so the scheme must be http or https.
 * - `ref` alone: `kind` and `name` are required; `apiVersion` may be left out for kinds cemesh serves.
 * - both: `uri` must be relative and is resolved against the address of `ref`.
 * - neither: an error.
 */
export function validateDestination(dest: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof dest !== 'object' || dest === null || Array.isArray(dest)) {
    errors.push({ field: path, message: 'must be an object with uri, ref, or both' });
    return errors;
  }
  const { uri, ref } = dest as Record<string, unknown>;
  const hasUri = uri !== undefined && uri !== null;
  const hasRef = ref !== undefined && ref !== null;
  if (!hasUri && !hasRef) {
    errors.push({ field: path, message: 'expected at least one of uri and ref, got neither' });
  }
  if (hasRef) validateRef(ref, `${path}.ref`, errors);
  const caCerts = (dest as Record<string, unknown>)['CACerts'];
  if (caCerts !== undefined && caCerts !== null) {
    const problem = caCertsProblem(caCerts);
    if (problem !== undefined) errors.push({ field: `${path}.CACerts`, message: problem });
  }
  if (hasUri) {
    if (typeof uri !== 'string' || uri === '') {
      errors.push({ field: `${path}.uri`, message: 'must be a non-empty string' });
    } else if (hasRef) {
      if (isAbsolute(uri)) {
        errors.push({
          field: `${path}.uri`,
          message: 'must be a relative URI when ref is set (it is resolved against the address of ref)',
        });
      }
    } else if (!isHttpUrl(uri)) {
      errors.push({
        field: `${path}.uri`,
        message: 'must be an absolute http or https URL when ref is not set',
      });
    }
  }
  return errors;
}

function validateRef(ref: unknown, path: string, errors: FieldError[]): void {
  if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
    errors.push({ field: path, message: 'must be an object with kind and name' });
    return;
  }
  const fields = ref as Record<string, unknown>;
  for (const key of ['kind', 'name'] as const) {
    const value = fields[key];
    if (value === undefined || value === null || value === '') {
      errors.push({ field: `${path}.${key}`, message: 'required' });
    } else if (typeof value !== 'string') {
      errors.push({ field: `${path}.${key}`, message: 'must be a string' });
    }
  }
  for (const key of ['apiVersion', 'namespace'] as const) {
    const value = fields[key];
    if (value !== undefined && value !== null && (typeof value !== 'string' || value === '')) {
      errors.push({ field: `${path}.${key}`, message: 'must be a non-empty string when set' });
    }
  }
}

function isAbsolute(uri: string): boolean {
  return urlParts(uri) !== undefined;
}

function isHttpUrl(uri: string): boolean {
  const url = urlParts(uri);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** The PEM certificate blocks of a CACerts value. */
export function pemCertificates(value: string): string[] {
  return value.match(PEM_CERTIFICATE) ?? [];
}

/**
 * Why a CACerts value is not PEM certificates; undefined when it is. Only the form is checked here (this
 * module also runs in the console); the server parses each certificate at admission (outbound/admission.ts).
 */
export function caCertsProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string of PEM certificates';
  const blocks = pemCertificates(value);
  if (blocks.length === 0) return 'must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)';
  for (const [i, block] of blocks.entries()) {
    const body = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return `certificate ${i + 1} is not base64 text`;
  }
  return undefined;
}
