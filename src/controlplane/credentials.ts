/**
 * Issuing application tokens (ARCHITECTURE 2.3): `POST .../applications/{name}/token` returns a new bearer
 * token once and revokes the previous one. The token itself is never stored: only its SHA-256 digest, in
 * the internal ApplicationCredential resource (see core/kyma/credential.ts), which every replica's
 * reconciler hands to its gateway.
 */
import { randomBytes } from 'node:crypto';
import { newUid } from '../core/resources/uid.js';
import { isMeshError } from '../core/errors.js';
import {
  applicationCredential,
  APPLICATION_CREDENTIAL_KIND,
  hashApplicationToken,
} from '../core/kyma/index.js';
import { kindNamed } from '../core/resources/index.js';
import type { ResourceStore } from '../store/contracts.js';
import { notFound } from './api/resources.js';

export interface TokenIssuerOptions {
  readonly resources: ResourceStore;
  /**
   * Called with the new digest once it is stored, before the token is returned, so this replica's gateway
   * takes the new token (and refuses the old one) from the moment the caller has it. Other replicas follow
   * through the resource watch.
   */
  readonly onIssued?: (application: string, hash: string) => void;
  readonly now?: () => Date;
}

/** Tokens are 32 random bytes (256 bits), base64url without padding: 43 characters safe in any header. */
const TOKEN_BYTES = 32;

/** Stores conflict only when two tokens are issued for one application at once; the last one wins. */
const MAX_ATTEMPTS = 5;

/** `issue(name)` resolves with a new token; rejects with a 404-mapped MeshError when there is no such Application. */
export function createApplicationTokenIssuer(
  options: TokenIssuerOptions,
): (application: string) => Promise<string> {
  const { resources } = options;
  const now = options.now ?? (() => new Date());
  const applications = kindNamed('Application');
  return async (application) => {
    if ((await resources.get({ kind: 'Application', name: application })) === undefined) {
      if (applications) throw notFound(applications, application);
      throw new Error('the Application kind is not registered');
    }
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const hash = hashApplicationToken(token);
    await storeCredential(resources, application, hash, now().toISOString());
    options.onIssued?.(application, hash);
    return token;
  };
}

/** Creates or replaces the application's credential, retrying when another write got there first. */
async function storeCredential(
  resources: ResourceStore,
  application: string,
  hash: string,
  issuedAt: string,
): Promise<void> {
  const next = applicationCredential(application, hash, issuedAt);
  for (let attempt = 1; ; attempt++) {
    const existing = await resources.get({ kind: APPLICATION_CREDENTIAL_KIND, name: application });
    try {
      if (existing === undefined) {
        await resources.create({
          ...next,
          metadata: { ...next.metadata, uid: newUid(), generation: 1, creationTimestamp: issuedAt },
        });
      } else {
        await resources.replace({
          ...next,
          metadata: {
            ...existing.metadata,
            generation: (existing.metadata.generation ?? 1) + 1,
          },
        });
      }
      return;
    } catch (error) {
      const raced =
        isMeshError(error) &&
        (error.code === 'MESH_RESOURCE_CONFLICT' ||
          error.code === 'MESH_RESOURCE_EXISTS' ||
          error.code === 'MESH_RESOURCE_NOT_FOUND');
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
