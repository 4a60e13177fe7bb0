/**
 * Broker ingress, Knative MT-broker compatible (ARCHITECTURE 2.2): `POST /{namespace}/{broker}` in binary,
 * structured or batched mode; 202 once stored per the backend's promise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeHttpRequest } from '../../core/cloudevents/index.js';
import { MeshError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { readBody } from '../http/body.js';
import { errorReply, isExpected } from '../http/errors.js';
import { refuseRepeatedEventHeaders } from '../http/headers.js';
import { ThrottledLog } from '../../core/log-throttle.js';
import type { MeshMetrics } from '../metrics.js';
import type { Mesh } from '../mesh.js';

export interface IngressOptions {
  readonly mesh: Mesh;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly metrics: MeshMetrics;
  /**
   * False until the reconciler has wired every stored broker and trigger: an event accepted before its
   * trigger is wired would be stored without a delivery for it, so ingress answers 503 until then.
   */
  readonly isReady?: () => boolean;
}

const ALLOW = 'POST, OPTIONS';
const ACCEPTED_HEADERS = { 'content-length': '0' } as const;

export function createIngressHandler(
  options: IngressOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const paths = new PathCache();
  const expected = new ThrottledLog(options.logger);
  return (req, res) => {
    handle(options, paths, req, res).catch((error: unknown) => fail(options, expected, res, error));
  };
}

async function handle(
  options: IngressOptions,
  paths: PathCache,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (options.isReady && !options.isReady()) {
    res.setHeader('retry-after', '1');
    throw new MeshError(
      'MESH_BACKEND_UNAVAILABLE',
      'cemesh is starting: brokers and triggers are being wired',
    );
  }
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
  const broker = options.mesh.broker(path.namespace, path.broker);
  if (!broker) {
    throw new MeshError('MESH_BROKER_NOT_FOUND', `broker ${path.namespace}/${path.broker} does not exist`);
  }
  refuseRepeatedEventHeaders(req.rawHeaders);
  const body = await readBody(req, options.maxBodyBytes);
  const { events } = decodeHttpRequest(req.headers, body);
  await options.mesh.ingest(broker, events);
  // An explicit empty length: without it node:http answers in chunked encoding, a second write per event.
  res.writeHead(202, ACCEPTED_HEADERS);
  res.end();
}

function fail(options: IngressOptions, expected: ThrottledLog, res: ServerResponse, error: unknown): void {
  const reply = errorReply(error);
  options.metrics.eventsRejected(reply.body.code);
  if (isExpected(reply)) expected.warn(reply.body.code, reply.body.message, 'ingress refused events');
  else if (reply.status >= 500) options.logger.error({ err: error, code: reply.body.code }, 'ingress failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(reply.body);
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
