/**
 * Broker ingress, Knative MT-broker compatible (ARCHITECTURE 2.2): `POST /{namespace}/{broker}` in binary,
 * structured or batched mode; 202 once stored per the backend's promise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace, ROOT_CONTEXT, type Span } from '@opentelemetry/api';
import { MeshError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { RateLimiter } from '../../core/rate-limit.js';
import { readBody } from '../http/body.js';
import { errorReply } from '../http/errors.js';
import type { MeshMetrics } from '../metrics.js';
import { contextFromEvent, contextFromHeaders, endSpan, tracingOff, type MeshTracing } from '../tracing.js';
import type { IngressAuthorizer } from '../authz/senders.js';
import { certificateApplication } from '../http/client-cert.js';
import { acceptEvents, type IngressOutcome } from './accept.js';
import type { IngressPort } from './port.js';

export interface IngressOptions {
  readonly mesh: IngressPort;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly metrics: MeshMetrics;
  readonly tracing?: MeshTracing;
  /** See `IngressLogic.isReady`: ingress answers 503 until the reconciler has wired everything. */
  readonly isReady?: () => boolean;
  /** Sender authorization (docs/security.md); absent: anyone who reaches ingress may send. */
  readonly authorizer?: IngressAuthorizer;
}

const ALLOW = 'POST, OPTIONS';
const ACCEPTED_HEADERS = { 'content-length': '0' } as const;

export function createIngressHandler(
  options: IngressOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const paths = new PathCache();
  const refusals = new RateLimiter({ burst: 5, windowMs: 1000 });
  const logic = {
    port: options.mesh,
    ...(options.isReady === undefined ? {} : { isReady: options.isReady }),
    ...(options.authorizer === undefined ? {} : { authorizer: options.authorizer }),
  };
  return (req, res) => {
    handle(options, logic, paths, req, res).catch((error: unknown) =>
      fail(options, refusals, req, res, error),
    );
  };
}

async function handle(
  options: IngressOptions,
  logic: Parameters<typeof acceptEvents>[0],
  paths: PathCache,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const tracing = options.tracing ?? tracingOff;
  const startTime = tracing.tracer === undefined ? 0 : Date.now();
  const path = paths.get(req.url ?? '/');
  if (!path) throw new MeshError('MESH_NOT_FOUND', 'ingress paths are /{namespace}/{broker}');
  if (req.method === 'OPTIONS') {
    // CloudEvents HTTP webhook spec, section 4 (abuse protection): grant the requesting origin.
    const origin = req.headers['webhook-request-origin'];
    res.writeHead(200, {
      allow: ALLOW,
      'webhook-allowed-origin': typeof origin === 'string' ? origin : '*',
      'webhook-allowed-rate': '*',
    });
    res.end();
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', ALLOW);
    throw new MeshError('MESH_METHOD_NOT_ALLOWED', `method ${req.method ?? ''} is not allowed; use POST`);
  }
  // The request's trace: its traceparent header, else the (first) event's distributed-tracing extension.
  const parent = contextFromHeaders(req.headers);
  let span: Span | undefined;
  let started = 0;
  const outcome = await acceptEvents(logic, {
    namespace: path.namespace,
    broker: path.broker,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    credential: {
      authorization: req.headers.authorization,
      certificateApplication: certificateApplication(req.socket),
    },
    body: () => readBody(req, options.maxBodyBytes),
    storing: (broker, events) => {
      const first = events[0];
      span = tracing.request(
        `ingress ${broker.namespace}/${broker.name}`,
        parent ?? (first === undefined || tracing.tracer === undefined ? undefined : contextFromEvent(first)),
        {
          'cemesh.namespace': broker.namespace,
          'cemesh.broker': broker.name,
          'cemesh.events': events.length,
        },
        startTime,
      );
      started = performance.now();
      return span === undefined ? parent : trace.setSpan(ROOT_CONTEXT, span);
    },
  });
  // The one place an outcome becomes HTTP: 202 once stored, or the refusal's status.
  const status = outcome.type === 'accepted' ? 202 : errorReply(outcome.error).status;
  if (started > 0) countEvents(options.metrics, outcome, status, performance.now() - started);
  span?.setAttribute('http.response.status_code', status);
  endSpan(span, outcome.type === 'refused' ? outcome.error.message : undefined);
  if (outcome.type === 'refused') throw outcome.error;
  // An explicit empty length: without it node:http answers in chunked encoding, a second write per event.
  res.writeHead(202, ACCEPTED_HEADERS);
  res.end();
}

/** Knative's ingress event count and dispatch latency, one per event that reached the store. */
function countEvents(
  metrics: MeshMetrics,
  outcome: IngressOutcome,
  status: number,
  durationMs: number,
): void {
  if (outcome.broker === undefined || outcome.events === undefined) return;
  const { namespace, name } = outcome.broker;
  for (const event of outcome.events)
    metrics.ingressEvent(namespace, name, String(event.attributes['type']), status, durationMs);
}

function fail(
  options: IngressOptions,
  refusals: RateLimiter,
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
): void {
  const reply = errorReply(error);
  options.metrics.eventsRejected(reply.body.code);
  const suppressed = refusals.take(reply.body.code, Date.now());
  if (suppressed !== undefined) {
    const context = contextFromHeaders(req.headers);
    const line = {
      code: reply.body.code,
      status: reply.status,
      path: req.url,
      reason: reply.body.message,
      traceId: (context && trace.getSpanContext(context)?.traceId) ?? null,
      ...(suppressed > 0 ? { suppressed } : {}),
    };
    if (reply.status >= 500 && reply.status !== 503 && reply.status !== 507)
      options.logger.error({ ...line, err: error }, 'ingress failed');
    else options.logger.warn(line, 'event refused');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(reply.body);
  if (reply.retryAfter !== undefined) res.setHeader('retry-after', String(reply.retryAfter));
  if (reply.status === 401) res.setHeader('www-authenticate', 'Bearer realm="cemesh"');
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Most senders post to a handful of URLs: each is split and percent-decoded once, not on every request. */
class PathCache {
  private readonly parsed = new Map<string, BrokerPath | undefined>();

  get(url: string): BrokerPath | undefined {
    if (this.parsed.has(url)) return this.parsed.get(url);
    const path = parsePath(url);
    // Bounded: a sender that varies its URL (query strings) cannot grow it without limit.
    if (this.parsed.size >= MAX_CACHED_PATHS) this.parsed.clear();
    this.parsed.set(url, path);
    return path;
  }
}

const MAX_CACHED_PATHS = 1024;

interface BrokerPath {
  readonly namespace: string;
  readonly broker: string;
}

/** `/{namespace}/{broker}` with an optional query; undefined for anything else. */
function parsePath(url: string): BrokerPath | undefined {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const parts = path.split('/');
  if (parts.length !== 3 || parts[0] !== '' || !parts[1] || !parts[2]) return undefined;
  try {
    return { namespace: decodeURIComponent(parts[1]), broker: decodeURIComponent(parts[2]) };
  } catch {
    return undefined;
  }
}
