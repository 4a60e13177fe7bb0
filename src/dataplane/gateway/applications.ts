/**
 * The gateway's view of applications (ARCHITECTURE 2.3): each application's token digest and the namespaces
 * bound to it. The reconciler keeps it current through the server's DataPlane wiring; the gateway reads it
 * on every request. Kept in memory: it is rebuilt from the stored Application, ApplicationMapping and
 * ApplicationCredential resources at start.
 */
import { timingSafeEqual } from 'node:crypto';
import { hashApplicationToken } from '../../core/kyma/index.js';

/** `ok`: the token is the application's; `forbidden`: another application's; `unauthorized`: nobody's. */
export type Authentication = 'ok' | 'forbidden' | 'unauthorized';

export class ApplicationRegistry {
  private readonly digests = new Map<string, Buffer>();
  private readonly bindings = new Map<string, Set<string>>();

  /** Sets (or, with undefined, revokes) an application's token digest: lower-case hex SHA-256. */
  setTokenHash(application: string, hash: string | undefined): void {
    if (hash === undefined) this.digests.delete(application);
    else this.digests.set(application, Buffer.from(hash, 'hex'));
  }

  bind(application: string, namespace: string): void {
    let namespaces = this.bindings.get(application);
    if (!namespaces) this.bindings.set(application, (namespaces = new Set()));
    namespaces.add(namespace);
  }

  unbind(application: string, namespace: string): void {
    const namespaces = this.bindings.get(application);
    if (!namespaces) return;
    namespaces.delete(namespace);
    if (namespaces.size === 0) this.bindings.delete(application);
  }

  /** The namespaces whose `default` broker receives the application's events, sorted. */
  namespaces(application: string): string[] {
    return [...(this.bindings.get(application) ?? [])].sort();
  }

  /** True when the application has a token or a binding (so it is safe to use its name as a metric label). */
  knows(application: string): boolean {
    return this.digests.has(application) || this.bindings.has(application);
  }

  /**
   * Checks a bearer token against every application's digest with a constant-time comparison, so the time
   * taken says nothing about how close a guess was. Comparing against all of them (not stopping at the
   * first match) also tells a token of another application (403) from an unknown one (401).
   */
  authenticate(application: string, token: string | undefined): Authentication {
    const owner = this.ownerOf(token);
    if (owner === undefined) return 'unauthorized';
    return owner === application ? 'ok' : 'forbidden';
  }

  /**
   * The application a bearer token is issued to, or undefined (Kyma's `/publish` names no application in
   * its path: the token says which one sends).
   */
  ownerOf(token: string | undefined): string | undefined {
    if (token === undefined || token === '') return undefined;
    const presented = Buffer.from(hashApplicationToken(token), 'hex');
    let owner: string | undefined;
    for (const [name, digest] of this.digests) {
      if (digest.length === presented.length && timingSafeEqual(digest, presented)) owner = name;
    }
    return owner;
  }
}
