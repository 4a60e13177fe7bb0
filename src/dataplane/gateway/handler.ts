/**
 * The application gateway's HTTP edge, Kyma compatible (ARCHITECTURE 2.3):
 *   POST /{app}/events                 CloudEvents 1.0, binary or structured; `source` := app; 202
 *   POST /{app}/v1/events              the legacy Kyma event API; 200 `{"event-id", "status", "reason"}`
 *   GET  /{app}/v1/events/subscribed   the event types triggers in bound namespaces subscribe to
 * It parses the path, runs the logic (`accept.ts`, authentication first), and maps the outcome to the
 * route's status and body in one place (`toReply`); `createGatewayHandler` writes it with node:http.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMeshError, MeshError } from '../../core/errors.js';
import { toKymaError } from '../../core/kyma/index.js';
import type { Logger } from '../../core/logger.js';
import { readBody } from '../http/body.js';
import { errorReply, isExpected } from '../http/errors.js';
import { RateLimiter } from '../../core/rate-limit.js';
import {
  acceptGatewayRequest,
  allowedMethod,
  type GatewayLogic,
  type GatewayOutcome,
  type GatewayRequest,
} from './accept.js';
import { noGatewayMetrics, type GatewayMetrics } from './metrics.js';
import { partialFailure } from './publish.js';
import { parseGatewayPath, type GatewayRoute } from './routes.js';

export interface GatewayOptions extends GatewayLogic {
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics;
}

export interface GatewayHttpRequest extends GatewayRequest {
  readonly url: string;
}

export interface GatewayReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A JSON value, sent as application/json. */
  readonly body: unknown;
}

/** Answers one request; never rejects (every failure becomes a reply in the route's error format). */
export async function handleGatewayRequest(
  options: GatewayOptions,
  request: GatewayHttpRequest,
): Promise<GatewayReply> {
  const metrics = options.metrics ?? noGatewayMetrics;
  const route = parseGatewayPath(request.url);
  if (!route) {
    const error = new MeshError(
      'MESH_NOT_FOUND',
      'gateway paths are /{application}/events, /{application}/v1/events and /{application}/v1/events/subscribed',
    );
    metrics.rejected('', reasonOf(error));
    return errorInFormat(options, error, undefined);
  }
  let outcome: GatewayOutcome;
  try {
    outcome = await acceptGatewayRequest(options, route, request);
  } catch (error) {
    // A bug, not a refusal: answered 500 in the route's format and logged in full.
    metrics.rejected(label(options, route), 'internal');
    return errorInFormat(options, error, route);
  }
  count(metrics, label(options, route), outcome);
  return toReply(options, route, outcome);
}

/** The one place an outcome becomes HTTP, in the route's format. */
function toReply(options: GatewayOptions, route: GatewayRoute, outcome: GatewayOutcome): GatewayReply {
  switch (outcome.type) {
    case 'listed':
      return json(200, { events: outcome.events });
    case 'refused':
      return errorInFormat(options, outcome.error, route);
    case 'partial':
      return errorInFormat(options, partialFailure(outcome.stored, outcome.failure), route);
    case 'accepted': {
      const stored = outcome.namespaces.length;
      if (route.kind !== 'legacy') return json(202, { namespaces: stored });
      const eventId = String(outcome.events[0]?.attributes['id']);
      // Kyma's event bus answered 200 with status "published", or "ignored" when nothing consumed the event.
      return json(
        200,
        stored > 0
          ? { 'event-id': eventId, status: 'published', reason: `stored in ${stored} bound namespace(s)` }
          : {
              'event-id': eventId,
              status: 'ignored',
              reason: `application ${route.application} is bound to no namespace; the event was not stored`,
            },
      );
    }
  }
}

/** Events stored in at least one namespace are accepted; anything else is a rejection with its reason. */
function count(metrics: GatewayMetrics, label: string, outcome: GatewayOutcome): void {
  switch (outcome.type) {
    case 'listed':
      return;
    case 'accepted':
      if (outcome.namespaces.length > 0) metrics.accepted(label);
      else metrics.rejected(label, 'no_namespace');
      return;
    case 'refused':
      metrics.rejected(label, reasonOf(outcome.error));
      return;
    case 'partial':
      metrics.rejected(label, reasonOf(outcome.failure));
      return;
  }
}

/** The application's name as a metric label, or "" for a name nobody registered (bounded label set). */
function label(options: GatewayOptions, route: GatewayRoute): string {
  return options.applications.knows(route.application) ? route.application : '';
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): GatewayReply {
  return { status, headers, body };
}

/** The legacy routes answer in Kyma's error shape; the CloudEvents route (and unknown paths) as ingress does. */
function errorInFormat(
  options: GatewayOptions,
  error: unknown,
  route: GatewayRoute | undefined,
): GatewayReply {
  if (route === undefined || route.kind === 'events') return cloudEventsError(options, error, route);
  return legacyError(options, error, route);
}

/** Headers an error carries whatever the route's format: the auth scheme on 401, the method on 405. */
function errorHeaders(error: unknown, route: GatewayRoute | undefined): Record<string, string> {
  if (!isMeshError(error)) return {};
  const retryAfter = errorReply(error).retryAfter;
  if (retryAfter !== undefined) return { 'retry-after': String(retryAfter) };
  if (error.code === 'MESH_UNAUTHORIZED') return { 'www-authenticate': 'Bearer realm="cemesh gateway"' };
  if (error.code === 'MESH_METHOD_NOT_ALLOWED' && route) {
    return { allow: allowedMethod(route) };
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
    const request: GatewayHttpRequest = {
      method: req.method ?? '',
      url: req.url ?? '/',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: (limit) => readBody(req, limit),
    };
    handleGatewayRequest(options, request).then(
      (reply) => {
        const text = JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          ...reply.headers,
          'content-type': 'application/json',
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
