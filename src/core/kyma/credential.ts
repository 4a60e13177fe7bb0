/**
 * Application credentials (ARCHITECTURE 2.3): one bearer token per application. Only a digest of the token is
 * kept, in an internal resource kind `ApplicationCredential` (cluster-scoped, named after the application).
 * The kind is not in kinds.ts, so the API never serves it; the reconciler reads it and hands the digest to
 * the gateway.
 *
 * SHA-256 without salt or stretching is enough here: tokens are 256 random bits, so a digest cannot be
 * reversed by guessing, and a fast digest keeps per-request authentication cheap.
 */
import { createHash } from 'node:crypto';
import type { Resource } from '../resources/object.js';

export const APPLICATION_CREDENTIAL_KIND = 'ApplicationCredential';
export const APPLICATION_CREDENTIAL_API_VERSION = 'internal.cemesh.dev/v1';

/** The lower-case hex SHA-256 digest of a token's UTF-8 bytes. */
export function hashApplicationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The credential object of an application (without the store's metadata: uid, resourceVersion, ...). */
export function applicationCredential(application: string, hash: string, issuedAt: string): Resource {
  return {
    apiVersion: APPLICATION_CREDENTIAL_API_VERSION,
    kind: APPLICATION_CREDENTIAL_KIND,
    metadata: { name: application },
    spec: { algorithm: 'sha-256', hash, issuedAt },
  };
}

/** The digest a credential object holds; undefined when it holds none this version can read. */
export function credentialHash(credential: Resource): string | undefined {
  const spec = credential.spec;
  if (spec?.['algorithm'] !== 'sha-256') return undefined;
  const hash = spec['hash'];
  return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
}
