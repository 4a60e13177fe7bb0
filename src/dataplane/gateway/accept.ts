/**
 * The application gateway's logic without HTTP (ARCHITECTURE 2.3): authenticate the application, check the
 * route's method, decode its events (CloudEvents or the legacy Kyma event API), store them in every bound
 * namespace, or list what the bound namespaces subscribe to. It returns an outcome; the HTTP edge
 * (`handler.ts`) maps it to a status and body in the route's format once. Errors that are not MeshErrors are
 * bugs and reject, for the edge to answer 500.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { decodeHttpRequest, withAttributes } from '../../core/cloudevents/index.js';
import { isMeshError, MeshError } from '../../core/errors.js';
import {
  LEGACY_MAX_BODY_BYTES,
  legacyToCloudEvent,
  parseLegacyRequest,
  subscribedEvents,
  type SubscribedEvent,
  type TriggerSubscription,
} from '../../core/kyma/index.js';
import { refuseRepeatedEventHeaders } from '../http/headers.js';
import type { IngressPort } from '../ingress/port.js';
import { tracingOff, type MeshTracing } from '../tracing.js';
import type { ApplicationRegistry } from './applications.js';
import { storeInNamespaces, type FanOutOutcome } from './publish.js';
import type { GatewayRoute } from './routes.js';

export interface GatewayLogic {
  readonly mesh: IngressPort;
  readonly applications: ApplicationRegistry;
  /** The specs of the triggers of a namespace (for the `subscribed` route). */
  readonly triggers: (namespace: string) => Promise<readonly TriggerSubscription[]>;
  /** Largest CloudEvents request body (the ingress limit); the legacy route has its own 64 KiB. */
  readonly maxBodyBytes: number;
  /** Ids for legacy events sent without `event-id` (default: random UUIDs). */
  readonly newId?: () => string;
  readonly tracing?: MeshTracing;
}

export interface GatewayRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The headers as sent, names and values in turn (node's `rawHeaders`), to find repeated ones. */
  readonly rawHeaders?: readonly string[];
  /** Reads the body, refusing (MESH_BODY_TOO_LARGE) one over `limit` bytes. */
  readonly body: (limit: number) => Promise<Uint8Array>;
}

export type GatewayOutcome =
  /** The events were stored in every bound namespace; `namespaces` is empty when none is bound. */
  | {
      readonly type: 'accepted';
      readonly events: readonly CloudEvent[];
      readonly namespaces: readonly string[];
    }
  /** The event types the triggers of the bound namespaces subscribe to. */
  | { readonly type: 'listed'; readonly events: readonly SubscribedEvent[] }
  /** Nothing was stored: the typed reason. */
  | { readonly type: 'refused'; readonly error: MeshError }
  /** Stored in `stored` before the store of another bound namespace failed with `failure`. */
  | { readonly type: 'partial'; readonly stored: readonly string[]; readonly failure: MeshError };

export async function acceptGatewayRequest(
  logic: GatewayLogic,
  route: GatewayRoute,
  request: GatewayRequest,
): Promise<GatewayOutcome> {
  try {
    authenticate(logic, route.application, request.headers.authorization);
    return await serve(logic, route, request);
  } catch (error) {
    if (!isMeshError(error)) throw error;
    return { type: 'refused', error };
  }
}

/** The method each route takes. */
export function allowedMethod(route: GatewayRoute): 'GET' | 'POST' {
  return route.kind === 'subscribed' ? 'GET' : 'POST';
}

const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

function authenticate(logic: GatewayLogic, application: string, header: string | undefined): void {
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  switch (logic.applications.authenticate(application, token)) {
    case 'ok':
      return;
    case 'forbidden':
      throw new MeshError(
        'MESH_FORBIDDEN',
        `the token is not application ${application}'s; each application sends with its own token`,
      );
    case 'unauthorized':
      throw new MeshError(
        'MESH_UNAUTHORIZED',
        token === undefined
          ? 'the request needs an "Authorization: Bearer <application token>" header'
          : 'the bearer token is not valid (unknown, or revoked by a newer one)',
      );
  }
}

async function serve(
  logic: GatewayLogic,
  route: GatewayRoute,
  request: GatewayRequest,
): Promise<GatewayOutcome> {
  const { application } = route;
  const allowed = allowedMethod(route);
  if (request.method !== allowed)
    throw new MeshError('MESH_METHOD_NOT_ALLOWED', `method ${request.method} is not allowed; use ${allowed}`);
  const namespaces = logic.applications.namespaces(application);
  switch (route.kind) {
    case 'events': {
      refuseRepeatedEventHeaders(request.rawHeaders ?? []);
      const decoded = decodeHttpRequest(request.headers, await request.body(logic.maxBodyBytes));
      if (decoded.mode === 'batch') {
        throw new MeshError(
          'MESH_CONTENT_TYPE_UNSUPPORTED',
          'the gateway takes one event per request, in binary or structured mode; batched mode is not accepted here',
        );
      }
      // ARCHITECTURE 2.3: the source is the application, whatever the sender wrote.
      const events = decoded.events.map((event) => withAttributes(event, { source: application }));
      return accepted(events, await publish(logic, request, application, namespaces, events));
    }
    case 'legacy': {
      const legacy = parseLegacyRequest(await request.body(LEGACY_MAX_BODY_BYTES));
      const event = legacyToCloudEvent(legacy, application, logic.newId ?? randomUUID);
      return accepted([event], await publish(logic, request, application, namespaces, [event]));
    }
    case 'subscribed': {
      const specs = await Promise.all(namespaces.map((namespace) => logic.triggers(namespace)));
      return { type: 'listed', events: subscribedEvents(application, specs.flat()) };
    }
  }
}

function accepted(events: readonly CloudEvent[], fanOut: FanOutOutcome): GatewayOutcome {
  return fanOut.type === 'stored' ? { type: 'accepted', events, namespaces: fanOut.namespaces } : fanOut;
}

/** Stores an application's events in its namespaces, in a `gateway` span of the request's trace. */
async function publish(
  logic: GatewayLogic,
  request: GatewayRequest,
  application: string,
  namespaces: readonly string[],
  events: readonly CloudEvent[],
): Promise<FanOutOutcome> {
  try {
    return await (logic.tracing ?? tracingOff).serve(
      `gateway ${application}`,
      request.headers,
      events[0],
      { 'cemesh.application': application, 'cemesh.namespaces': namespaces.join(',') },
      async (parent) => {
        const outcome = await storeInNamespaces(logic.mesh, namespaces, events, parent);
        // Thrown so that the span ends in error for whatever the sender is answered with an error.
        if (outcome.type !== 'stored') throw new FanOutFailed(outcome);
        return outcome;
      },
    );
  } catch (error) {
    if (error instanceof FanOutFailed) return error.outcome;
    throw error;
  }
}

class FanOutFailed extends Error {
  constructor(readonly outcome: Exclude<FanOutOutcome, { type: 'stored' }>) {
    super(outcome.type === 'refused' ? outcome.error.message : outcome.failure.message);
  }
}
