/**
 * The application gateway, Kyma compatible (ARCHITECTURE 2.3):
 *   POST /{app}/events                 CloudEvents 1.0, binary or structured; `source` := app; 202
 *   POST /{app}/v1/events              the legacy Kyma event API; 200 `{"event-id", "status", "reason"}`
 *   GET  /{app}/v1/events/subscribed   the event types triggers in bound namespaces subscribe to
 *   POST /publish                      Kyma's publisher proxy endpoint: CloudEvents of the token's
 *                                      application; 204, errors as plain text (docs/kyma.md)
 * Every request is authenticated as its application first (401 / 403), then routed. The handler core takes
 * a parsed request and returns the reply; `createGatewayHandler` is the thin node:http edge.
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { decodeHttpRequest, withAttributes } from '../../core/cloudevents/index.js';
import { isMeshError, MeshError } from '../../core/errors.js';
import {
  LEGACY_MAX_BODY_BYTES,
  legacyToCloudEvent,
  parseLegacyRequest,
  subscribedEvents,
  toKymaError,
  type TriggerSubscription,
} from '../../core/kyma/index.js';
import type { Logger } from '../../core/logger.js';
import { readBody } from '../http/body.js';
import { errorReply, isExpected } from '../http/errors.js';
import { refuseRepeatedEventHeaders } from '../http/headers.js';
import { RateLimiter } from '../../core/rate-limit.js';
import type { ApplicationRegistry } from './applications.js';
import { noGatewayMetrics, type GatewayMetrics } from './metrics.js';
import type { IngressPort } from '../ingress/port.js';
import { storeInNamespaces } from './publish.js';
import { tracingOff, type MeshTracing } from '../tracing.js';
import { parseGatewayPath, type GatewayRoute } from './routes.js';

export interface GatewayOptions {
  readonly mesh: IngressPort;
  readonly applications: ApplicationRegistry;
  /** The specs of the triggers of a namespace (for the `subscribed` route). */
  readonly triggers: (namespace: string) => Promise<readonly TriggerSubscription[]>;
  /** Largest CloudEvents request body (the ingress limit); the legacy route has its own 64 KiB. */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics;
  /** Ids for legacy events sent without `event-id` (default: random UUIDs). */
  readonly newId?: () => string;
  readonly tracing?: MeshTracing;
}

export interface GatewayRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The headers as sent, names and values in turn (node's `rawHeaders`), to find repeated ones. */
  readonly rawHeaders?: readonly string[];
  /** Reads the body, refusing (MESH_BODY_TOO_LARGE) one over `limit` bytes. */
  readonly body: (limit: number) => Promise<Uint8Array>;
}

export interface GatewayReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A JSON value, sent as application/json; a `text` reply's string, sent as text/plain; none with 204. */
  readonly body: unknown;
  readonly text?: true;
}

/** Answers one request; never rejects (every failure becomes a reply in the route's error format). */
export async function handleGatewayRequest(
  options: GatewayOptions,
  request: GatewayRequest,
): Promise<GatewayReply> {
  const metrics = options.metrics ?? noGatewayMetrics;
  const parsed = parseGatewayPath(request.url);
  if (!parsed) {
    const error = new MeshError(
      'MESH_NOT_FOUND',
      'gateway paths are /publish, /{application}/events, /{application}/v1/events and /{application}/v1/events/subscribed',
    );
    metrics.rejected('', reasonOf(error));
    return cloudEventsError(options, error, undefined);
  }
  let route = parsed;
  const label = (): string => (options.applications.knows(route.application) ? route.application : '');
  try {
    if (route.kind === 'publish') route = { ...route, application: tokenOwner(options, request) };
    authenticate(options, route.application, request.headers.authorization);
    const reply = await serve(options, route, request);
    if (route.kind !== 'subscribed') {
      if (reply.stored > 0) metrics.accepted(label());
      else metrics.rejected(label(), 'no_namespace');
    }
    return reply.reply;
  } catch (error) {
    metrics.rejected(label(), reasonOf(error));
    if (route.kind === 'events') return cloudEventsError(options, error, route);
    if (route.kind === 'publish') return publishError(options, error, route);
    return legacyError(options, error, route);
  }
}

const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

/** The application `/publish`'s token is issued to; refused as unauthenticated when it is nobody's. */
function tokenOwner(options: GatewayOptions, request: GatewayRequest): string {
  const header = request.headers.authorization;
  const owner = options.applications.ownerOf(header === undefined ? undefined : BEARER.exec(header)?.[1]);
  if (owner !== undefined) return owner;
  throw new MeshError(
    'MESH_UNAUTHORIZED',
    header === undefined
      ? 'the request needs an "Authorization: Bearer <application token>" header'
      : 'the bearer token is not valid (unknown, or revoked by a newer one)',
  );
}

function authenticate(options: GatewayOptions, application: string, header: string | undefined): void {
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  switch (options.applications.authenticate(application, token)) {
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
  options: GatewayOptions,
  route: GatewayRoute,
  request: GatewayRequest,
): Promise<{ reply: GatewayReply; stored: number }> {
  const { application } = route;
  const namespaces = options.applications.namespaces(application);
  switch (route.kind) {
    case 'events':
    case 'publish': {
      requireMethod(request.method, 'POST');
      const events = await decodeEvents(options, request, application);
      const stored = await publish(options, request, application, namespaces, events);
      // Kyma's publisher proxy answers 204 with no body.
      if (route.kind === 'publish') return { reply: { status: 204, headers: {}, body: undefined }, stored };
      return { reply: json(202, { namespaces: stored }), stored };
    }
    case 'legacy': {
      requireMethod(request.method, 'POST');
      const legacy = parseLegacyRequest(await request.body(LEGACY_MAX_BODY_BYTES));
      const event = legacyToCloudEvent(legacy, application, options.newId ?? randomUUID);
      const stored = await publish(options, request, application, namespaces, [event]);
      const eventId = String(event.attributes['id']);
      // Kyma's event bus answered 200 with status "published", or "ignored" when nothing consumed the event.
      const body =
        stored > 0
          ? { 'event-id': eventId, status: 'published', reason: `stored in ${stored} bound namespace(s)` }
          : {
              'event-id': eventId,
              status: 'ignored',
              reason: `application ${application} is bound to no namespace; the event was not stored`,
            };
      return { reply: json(200, body), stored };
    }
    case 'subscribed': {
      requireMethod(request.method, 'GET');
      const specs = await Promise.all(namespaces.map((namespace) => options.triggers(namespace)));
      return { reply: json(200, { events: subscribedEvents(application, specs.flat()) }), stored: 0 };
    }
  }
}

/** One event in binary or structured mode, its `source` the application's (ARCHITECTURE 2.3). */
async function decodeEvents(
  options: GatewayOptions,
  request: GatewayRequest,
  application: string,
): Promise<CloudEvent[]> {
  refuseRepeatedEventHeaders(request.rawHeaders ?? []);
  const decoded = decodeHttpRequest(request.headers, await request.body(options.maxBodyBytes));
  if (decoded.mode === 'batch') {
    throw new MeshError(
      'MESH_CONTENT_TYPE_UNSUPPORTED',
      'the gateway takes one event per request, in binary or structured mode; batched mode is not accepted here',
    );
  }
  return decoded.events.map((event) => withAttributes(event, { source: application }));
}

/** Stores an application's events in its namespaces, in a `gateway` span of the request's trace. */
function publish(
  options: GatewayOptions,
  request: GatewayRequest,
  application: string,
  namespaces: readonly string[],
  events: readonly CloudEvent[],
): Promise<number> {
  return (options.tracing ?? tracingOff).serve(
    `gateway ${application}`,
    request.headers,
    events[0],
    { 'cemesh.application': application, 'cemesh.namespaces': namespaces.join(',') },
    (parent) => storeInNamespaces(options.mesh, namespaces, events, parent),
  );
}

function requireMethod(method: string, allowed: 'GET' | 'POST'): void {
  if (method === allowed) return;
  throw new MeshError('MESH_METHOD_NOT_ALLOWED', `method ${method} is not allowed; use ${allowed}`);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): GatewayReply {
  return { status, headers, body };
}

/** Headers an error carries whatever the route's format: the auth scheme on 401, the method on 405. */
function errorHeaders(error: unknown, route: GatewayRoute | undefined): Record<string, string> {
  if (!isMeshError(error)) return {};
  const retryAfter = errorReply(error).retryAfter;
  if (retryAfter !== undefined) return { 'retry-after': String(retryAfter) };
  if (error.code === 'MESH_UNAUTHORIZED') return { 'www-authenticate': 'Bearer realm="cemesh gateway"' };
  if (error.code === 'MESH_METHOD_NOT_ALLOWED' && route) {
    return { allow: route.kind === 'subscribed' ? 'GET' : 'POST' };
  }
  return {};
}

/** The CloudEvents route answers as the broker ingress does (ARCHITECTURE 2.3: `{code, message, ...}`). */
function cloudEventsError(
  options: GatewayOptions,
  error: unknown,
  route: GatewayRoute | undefined,
): GatewayReply {
  const reply = errorReply(error);
  logFailure(options, error, reply.status);
  return json(reply.status, reply.body, errorHeaders(error, route));
}

/**
 * `/publish` answers as Kyma's publisher proxy: the status, and the reason as plain text (Kyma writes the
 * CloudEvents SDK's error text for an invalid event; cemesh writes its own message).
 */
function publishError(options: GatewayOptions, error: unknown, route: GatewayRoute): GatewayReply {
  const reply = errorReply(error);
  logFailure(options, error, reply.status);
  return { status: reply.status, headers: errorHeaders(error, route), body: reply.body.message, text: true };
}

/** The legacy routes answer in Kyma's error shape. */
function legacyError(options: GatewayOptions, error: unknown, route: GatewayRoute): GatewayReply {
  const body = toKymaError(error, (e) => {
    const reply = errorReply(e);
    return { status: reply.status, code: reply.body.code, message: reply.body.message };
  });
  logFailure(options, error, body.status);
  return json(body.status, body, errorHeaders(error, route));
}

/**
 * A backend unavailable or full (503/507) is the backend's state, not a fault: logged without a stack, at most
 * once a second per cause with the count held back, as ingress does; other 5xx are faults, logged in full.
 */
function logFailure(options: GatewayOptions, error: unknown, status: number): void {
  if (status < 500) return;
  const reply = errorReply(error);
  if (!isExpected(reply)) {
    options.logger.error({ err: error }, 'gateway request failed');
    return;
  }
  const suppressed = expectedRefusals(options).take(`${reply.body.code} ${reply.body.message}`, Date.now());
  if (suppressed === undefined) return;
  options.logger.warn(
    { code: reply.body.code, reason: reply.body.message, ...(suppressed > 0 ? { suppressed } : {}) },
    'gateway refused events',
  );
}

const refusalLimiters = new WeakMap<GatewayOptions, RateLimiter>();

function expectedRefusals(options: GatewayOptions): RateLimiter {
  let limiter = refusalLimiters.get(options);
  if (!limiter) refusalLimiters.set(options, (limiter = new RateLimiter({ burst: 1, windowMs: 1000 })));
  return limiter;
}

function reasonOf(error: unknown): string {
  return isMeshError(error) ? error.code.slice('MESH_'.length).toLowerCase() : 'internal';
}

/** The node:http edge: parses the request, runs the core, writes the reply. */
export function createGatewayHandler(
  options: GatewayOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const request: GatewayRequest = {
      method: req.method ?? '',
      url: req.url ?? '/',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: (limit) => readBody(req, limit),
    };
    handleGatewayRequest(options, request).then(
      (reply) => {
        if (reply.status === 204) {
          res.writeHead(204, reply.headers);
          res.end();
          return;
        }
        const text = reply.text ? String(reply.body) : JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          ...reply.headers,
          'content-type': reply.text ? 'text/plain; charset=utf-8' : 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'gateway request failed');
        res.destroy();
      },
    );
  };
}
