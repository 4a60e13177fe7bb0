/**
 * Sender tokens (`cemesh token create --subject ...`): bearer tokens that senders present at broker ingress,
 * each standing for a subject in a namespace. Like application tokens, only a SHA-256 digest is kept, in the
 * internal, namespaced `SenderCredential` kind that the API never serves; the token itself is shown once.
 */
import { createHash } from 'node:crypto';
import type { Resource } from '../resources/object.js';
import type { SenderTokenWiring } from '../wiring.js';

export const SENDER_CREDENTIAL_KIND = 'SenderCredential';
export const SENDER_CREDENTIAL_API_VERSION = 'internal.cemesh.dev/v1';

/** The lower-case hex SHA-256 digest of a token's UTF-8 bytes. */
export function hashSenderToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function senderCredential(
  namespace: string,
  name: string,
  subject: string,
  hash: string,
  issuedAt: string,
): Resource {
  return {
    apiVersion: SENDER_CREDENTIAL_API_VERSION,
    kind: SENDER_CREDENTIAL_KIND,
    metadata: { name, namespace },
    spec: { subject, algorithm: 'sha-256', hash, issuedAt },
  };
}

/** What the data plane needs of a credential; undefined when it holds nothing this version can read. */
export function senderTokenOf(credential: Resource): SenderTokenWiring | undefined {
  const spec = credential.spec;
  const hash = spec?.['hash'];
  const subject = spec?.['subject'];
  if (spec?.['algorithm'] !== 'sha-256' || typeof subject !== 'string') return undefined;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  const namespace = credential.metadata.namespace ?? 'default';
  return { key: credentialKey(namespace, credential.metadata.name), hash, subject, namespace };
}

export function credentialKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
