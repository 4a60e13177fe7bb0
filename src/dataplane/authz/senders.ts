/**
 * Sender authorization at broker ingress (docs/decisions/sender-authorization.md): the data plane's view of
 * who may send where, kept current by the reconciler (each broker's EventPolicies and default mode, sender
 * token digests, registered applications), and the two checks ingress makes: the sender before its body is
 * read, its events once decoded. The decisions themselves are pure (core/authz/decide.ts).
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import {
  authorizeEvents,
  authorizeSender,
  compiledPolicy,
  type BrokerAccess,
  type CompiledPolicy,
  type SenderIdentity,
} from '../../core/authz/decide.js';
import { applicationSubject } from '../../core/authz/subjects.js';
import { hashSenderToken } from '../../core/authz/credential.js';
import { DEFAULT_AUTHORIZATION_MODE } from '../../core/authz/mode.js';
import { compileTriggerFilter } from '../../core/filters/index.js';
import type { BrokerAccessWiring, SenderTokenWiring } from '../../core/wiring.js';
import type { InternalIdentities } from './internal.js';

/** What a request presents: its Authorization header and, on TLS with --client-ca, a verified certificate. */
export interface SenderCredential {
  readonly authorization: string | undefined;
  /** The application a verified client certificate names (its CN), if any. */
  readonly certificateApplication?: string | undefined;
}

/** A sender let in to a broker, with the policies that let it in (their filters still apply to its events). */
export interface Admission {
  readonly sender: SenderIdentity | undefined;
  readonly allowing: readonly CompiledPolicy[];
}

/** What broker ingress asks: may this sender send here, and may it send these events. Both throw refusals. */
export interface IngressAuthorizer {
  admit(namespace: string, broker: string, credential: SenderCredential): Admission;
  checkEvents(admission: Admission, events: readonly CloudEvent[]): void;
}

const ANYONE: Admission = { sender: undefined, allowing: [] };

export class SenderAuthorization implements IngressAuthorizer {
  private readonly access = new Map<string, BrokerAccess>();
  /** Token digest -> identity, and credential key -> digest (to revoke by key). */
  private readonly tokens = new Map<string, SenderIdentity>();
  private readonly digests = new Map<string, string>();
  private readonly applications = new Set<string>();

  constructor(private readonly internal: InternalIdentities) {}

  setBrokerAccess(namespace: string, name: string, wiring: BrokerAccessWiring | undefined): void {
    const key = `${namespace}/${name}`;
    if (wiring === undefined) {
      this.access.delete(key);
      return;
    }
    this.access.set(key, {
      namespace,
      name,
      mode: wiring.mode,
      policies: wiring.policies.map((p) =>
        compiledPolicy(
          p.name,
          p.subjects,
          p.filters.length === 0 ? undefined : compileTriggerFilter({ filters: [...p.filters] }),
        ),
      ),
    });
  }

  setSenderToken(key: string, token: SenderTokenWiring | undefined): void {
    const previous = this.digests.get(key);
    if (previous !== undefined) this.tokens.delete(previous);
    this.digests.delete(key);
    if (token === undefined) return;
    this.digests.set(key, token.hash);
    this.tokens.set(token.hash, { subject: token.subject, namespace: token.namespace });
  }

  setApplicationRegistered(application: string, registered: boolean): void {
    if (registered) this.applications.add(application);
    else this.applications.delete(application);
  }

  /**
   * The sender's identity: a sender token's, one cemesh minted for its own senders, or a verified client
   * certificate's application; undefined when it presents none that is valid. A digest is looked up by
   * value: it is the SHA-256 of a 256-bit random token, so the lookup's timing tells nothing useful.
   */
  identify(credential: SenderCredential): SenderIdentity | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credential.authorization ?? '');
    const token = match?.[1];
    if (token !== undefined) {
      const identity = this.internal.verify(token) ?? this.tokens.get(hashSenderToken(token));
      if (identity !== undefined) return identity;
    }
    const application = credential.certificateApplication;
    return application === undefined
      ? undefined
      : { subject: applicationSubject(application), namespace: undefined };
  }

  admit(namespace: string, broker: string, credential: SenderCredential): Admission {
    const access = this.access.get(`${namespace}/${broker}`);
    // The default path: no policy, allow-all and no application to protect: nothing to look up per request.
    if (this.applications.size === 0 && isOpen(access)) return ANYONE;
    const sender = this.identify(credential);
    if (access === undefined) return { sender, allowing: [] };
    return { sender, allowing: authorizeSender(access, sender) };
  }

  checkEvents(admission: Admission, events: readonly CloudEvent[]): void {
    if (admission === ANYONE) return;
    authorizeEvents(admission.sender, admission.allowing, events, this.applications);
  }

  /** The same checks for events cemesh sends itself (trigger replies), as the identity it gave the sender. */
  authorizeInternal(
    namespace: string,
    broker: string,
    sender: SenderIdentity,
    events: readonly CloudEvent[],
  ): void {
    const access = this.access.get(`${namespace}/${broker}`);
    if (isOpen(access)) return;
    if (access === undefined) return;
    authorizeEvents(sender, authorizeSender(access, sender), events, new Set());
  }
}

function isOpen(access: BrokerAccess | undefined): boolean {
  return access === undefined || (access.policies.length === 0 && access.mode === DEFAULT_AUTHORIZATION_MODE);
}
