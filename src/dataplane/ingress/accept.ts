/**
 * The broker ingress's logic without HTTP: is the mesh wired, may the broker take events, are the events
 * valid CloudEvents, are they stored. It returns an outcome, accepted or refused with a typed MeshError;
 * the HTTP edge (`handler.ts`) maps that to a status once. Errors that are not MeshErrors are bugs and
 * reject, for the edge to answer 500.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from '@opentelemetry/api';
import { decodeHttpRequest } from '../../core/cloudevents/index.js';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { isMeshError, MeshError } from '../../core/errors.js';
import { refuseRepeatedEventHeaders } from '../http/headers.js';
import type { IngressAuthorizer, SenderCredential } from '../authz/senders.js';
import type { BrokerHandle, IngressPort } from './port.js';

export interface IngressRequest {
  readonly namespace: string;
  readonly broker: string;
  readonly headers: IncomingHttpHeaders;
  /** The headers as sent, names and values in turn, to find repeated CloudEvents headers. */
  readonly rawHeaders: readonly string[];
  /** What the sender presents to be identified (its bearer token, a client certificate). */
  readonly credential?: SenderCredential;
  /** Reads the body; called only once the broker may take events (a refusal costs no read). */
  readonly body: () => Promise<Uint8Array>;
  /** Called once the events are decoded, before they are stored: the trace context to store them in. */
  readonly storing?: (broker: BrokerHandle, events: readonly CloudEvent[]) => Context | undefined;
}

export type IngressOutcome =
  | { readonly type: 'accepted'; readonly broker: BrokerHandle; readonly events: readonly CloudEvent[] }
  | {
      readonly type: 'refused';
      readonly error: MeshError;
      /** Known when the refusal came after the broker accepted the request (invalid events, a full store). */
      readonly broker?: BrokerHandle;
      readonly events?: readonly CloudEvent[];
    };

export interface IngressLogic {
  readonly port: IngressPort;
  /**
   * False until the reconciler has wired every stored broker and trigger: an event accepted before its
   * trigger is wired would be stored without a delivery for it, so ingress refuses (503) until then.
   */
  readonly isReady?: () => boolean;
  /** Sender authorization (EventPolicies, default mode, application sources); absent: anyone may send. */
  readonly authorizer?: IngressAuthorizer;
}

export async function acceptEvents(logic: IngressLogic, request: IngressRequest): Promise<IngressOutcome> {
  if (logic.isReady !== undefined && !logic.isReady())
    return refused(
      new MeshError('MESH_BACKEND_UNAVAILABLE', 'cemesh is starting: brokers and triggers are being wired'),
    );
  let broker: BrokerHandle | undefined;
  let events: readonly CloudEvent[] | undefined;
  try {
    broker = logic.port.accepting(request.namespace, request.broker);
    // The sender is checked before its body is read: a refused sender costs no read.
    const admission = logic.authorizer?.admit(
      broker.namespace,
      broker.name,
      request.credential ?? NO_CREDENTIAL,
    );
    refuseRepeatedEventHeaders(request.rawHeaders);
    events = decodeHttpRequest(request.headers, await request.body()).events;
    if (admission !== undefined) logic.authorizer?.checkEvents(admission, events);
    await logic.port.ingest(broker, events, undefined, request.storing?.(broker, events));
    return { type: 'accepted', broker, events };
  } catch (error) {
    if (!isMeshError(error)) throw error;
    return {
      ...refused(error),
      ...(broker === undefined ? {} : { broker }),
      ...(events === undefined ? {} : { events }),
    };
  }
}

const NO_CREDENTIAL: SenderCredential = { authorization: undefined };

function refused(error: MeshError): IngressOutcome {
  return { type: 'refused', error };
}
