/**
 * Identities cemesh gives its own senders (a trigger's deliveries and replies that re-enter a broker, a
 * hosted function's emitted events): bearer tokens it mints and checks itself, so no credential has to be
 * stored or issued for them. A token is `cmi1.<subject and namespace, base64url JSON>.<HMAC-SHA256>`; the key
 * is derived from the admin token, so every replica sharing the admin token accepts the others' tokens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SenderIdentity } from '../../core/authz/decide.js';

const PREFIX = 'cmi1.';

export class InternalIdentities {
  private readonly key: Buffer;
  private readonly minted = new Map<string, string>();

  /** `secret`: the admin token (or any secret the replicas share). */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('cemesh sender identity v1').digest();
  }

  /** The bearer token standing for `subject` of `namespace`; the same one each time. */
  tokenFor(subject: string, namespace: string): string {
    const id = `${namespace}\u0000${subject}`;
    let token = this.minted.get(id);
    if (token === undefined) {
      const payload = Buffer.from(JSON.stringify({ s: subject, n: namespace })).toString('base64url');
      token = `${PREFIX}${payload}.${this.sign(payload).toString('base64url')}`;
      this.minted.set(id, token);
    }
    return token;
  }

  /** The identity a token minted here stands for; undefined for any other text. */
  verify(token: string): SenderIdentity | undefined {
    if (!token.startsWith(PREFIX)) return undefined;
    const dot = token.lastIndexOf('.');
    if (dot <= PREFIX.length) return undefined;
    const payload = token.slice(PREFIX.length, dot);
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.sign(payload);
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        s?: unknown;
        n?: unknown;
      };
      if (typeof claims.s !== 'string' || typeof claims.n !== 'string') return undefined;
      return { subject: claims.s, namespace: claims.n };
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }
}
