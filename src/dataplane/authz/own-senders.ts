/**
 * cemesh's own senders re-entering a broker (docs/decisions/sender-authorization.md): a trigger's replies
 * are checked in process as the trigger's subject; a trigger's deliveries (or dead letters) to a broker's
 * own ingress URL carry a bearer token for that subject, and so does a hosted function's emitCloudEvent.
 * Tokens go only to cemesh's own ingress, never to another destination.
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { functionSubject, triggerSubject } from '../../core/authz/subjects.js';
import type { InternalIdentities } from './internal.js';
import type { SenderAuthorization } from './senders.js';

export interface OwnSenders {
  /** Throws the refusal (a MeshError) when the trigger's replies may not enter the broker. */
  authorizeReply(
    broker: { namespace: string; name: string },
    trigger: { namespace: string; name: string },
    events: readonly CloudEvent[],
  ): void;
  /** Headers for deliveries of a trigger to `origin`: its bearer token when that is cemesh's own ingress. */
  deliveryHeaders(origin: string, namespace: string, trigger: string): Record<string, string>;
  /** The Authorization header value a hosted function publishes with. */
  functionAuthorization(namespace: string, name: string): string;
}

export function ownSenders(
  authorization: SenderAuthorization,
  identities: InternalIdentities,
  /** The origins of cemesh's ingress (its listen URL and the advertised one), known once it listens. */
  ingressOrigins: () => readonly string[],
): OwnSenders {
  return {
    authorizeReply(broker, trigger, events) {
      const subject = triggerSubject(trigger.namespace, trigger.name);
      authorization.authorizeInternal(
        broker.namespace,
        broker.name,
        { subject, namespace: trigger.namespace },
        events,
      );
    },
    deliveryHeaders(origin, namespace, trigger): Record<string, string> {
      if (!ingressOrigins().includes(origin)) return {};
      const token = identities.tokenFor(triggerSubject(namespace, trigger), namespace);
      return { authorization: `Bearer ${token}` };
    },
    functionAuthorization(namespace, name) {
      return `Bearer ${identities.tokenFor(functionSubject(namespace, name), namespace)}`;
    },
  };
}
