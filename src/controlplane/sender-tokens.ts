/**
 * Sender tokens (docs/security.md, "Sender authorization"): issued for a subject in a namespace, listed and
 * revoked. The token is returned once at creation; only its SHA-256 digest is stored (an internal
 * `SenderCredential`), and the reconciler hands that to the ingress of every replica.
 */
import { randomBytes } from 'node:crypto';
import { newUid } from '../core/resources/uid.js';
import { hashSenderToken, senderCredential, SENDER_CREDENTIAL_KIND } from '../core/authz/credential.js';
import { serviceAccountNamespace, subjectProblem } from '../core/authz/subjects.js';
import { MeshError, type FieldError } from '../core/errors.js';
import { dns1123SubdomainProblem } from '../core/resources/names.js';
import type { Resource } from '../core/resources/object.js';
import type { ResourceStore } from '../store/contracts.js';

/** 32 random bytes (256 bits), base64url: 43 characters, as application tokens. */
const TOKEN_BYTES = 32;

export interface SenderTokenInfo {
  readonly name: string;
  readonly namespace: string;
  readonly subject: string;
  readonly issuedAt: string;
}

export interface IssuedSenderToken extends SenderTokenInfo {
  readonly token: string;
}

export class SenderTokens {
  constructor(
    private readonly resources: ResourceStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Issues a token for `subject` in `namespace`; refuses an invalid subject or name (422), a taken name (409). */
  async issue(namespace: string, subject: unknown, name: unknown): Promise<IssuedSenderToken> {
    const errors: FieldError[] = [];
    const subjectText = typeof subject === 'string' ? subject : '';
    const problem = typeof subject === 'string' ? subjectProblem(subject) : 'required: a string';
    if (problem !== undefined) errors.push({ field: 'subject', message: problem });
    const accountNamespace = serviceAccountNamespace(subjectText);
    if (accountNamespace !== undefined && accountNamespace !== namespace)
      errors.push({
        field: 'subject',
        message: `names namespace ${accountNamespace}; issue it in that namespace (-n ${accountNamespace})`,
      });
    const tokenName = name === undefined ? `sender-${randomBytes(4).toString('hex')}` : name;
    const nameProblem =
      typeof tokenName === 'string' ? dns1123SubdomainProblem(tokenName) : 'must be a string';
    if (nameProblem !== undefined) errors.push({ field: 'name', message: nameProblem });
    if (errors.length > 0 || typeof tokenName !== 'string')
      throw new MeshError('MESH_RESOURCE_INVALID', 'the sender token request is invalid', { causes: errors });
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const issuedAt = this.now().toISOString();
    const credential = senderCredential(namespace, tokenName, subjectText, hashSenderToken(token), issuedAt);
    try {
      await this.resources.create({
        ...credential,
        metadata: { ...credential.metadata, uid: newUid(), generation: 1, creationTimestamp: issuedAt },
      });
    } catch (error) {
      if (error instanceof MeshError && error.code === 'MESH_RESOURCE_EXISTS')
        throw new MeshError(
          'MESH_RESOURCE_EXISTS',
          `sender token "${tokenName}" already exists in ${namespace}`,
        );
      throw error;
    }
    return { name: tokenName, namespace, subject: subjectText, issuedAt, token };
  }

  /** Every token of a namespace (or of all, with undefined), never the token itself. */
  async list(namespace: string | undefined): Promise<SenderTokenInfo[]> {
    const stored = await this.resources.list(SENDER_CREDENTIAL_KIND, namespace);
    return stored
      .map(info)
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  }

  /** Revokes a token: ingress refuses it from the reconcile of its deletion on. */
  async revoke(namespace: string, name: string): Promise<void> {
    const key = { kind: SENDER_CREDENTIAL_KIND, namespace, name };
    if ((await this.resources.get(key)) === undefined)
      throw new MeshError('MESH_RESOURCE_NOT_FOUND', `sender token "${name}" not found in ${namespace}`);
    await this.resources.delete(key);
  }
}

function info(credential: Resource): SenderTokenInfo {
  const spec = credential.spec ?? {};
  return {
    name: credential.metadata.name,
    namespace: credential.metadata.namespace ?? 'default',
    subject: typeof spec['subject'] === 'string' ? spec['subject'] : '',
    issuedAt: typeof spec['issuedAt'] === 'string' ? spec['issuedAt'] : '',
  };
}
