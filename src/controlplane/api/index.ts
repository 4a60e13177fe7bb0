/**
 * The control-plane REST API (ARCHITECTURE 2.4) as a node:http request listener: bearer-token auth,
 * Kubernetes-style resource paths, Status errors, NDJSON watches and the runtime routes. The listener only
 * parses and writes HTTP; the verbs live in resources.ts and actions.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MeshError } from '../../core/errors.js';
import { deadline, type Deadline } from '../../core/signals.js';
import type { ResourceStore } from '../../store/contracts.js';
import { handleAction } from './actions.js';
import { APPLY_PATH, handleApplyList } from './apply-list.js';
import { readBody } from './body.js';
import { discover } from './discovery.js';
import { negotiate } from './media.js';
import { openApi } from './openapi-routes.js';
import { isInternal, statusOf } from './errors.js';
import { LineWriter } from './line-writer.js';
import { warningHeaders } from './field-validation.js';
import { handleLogLevel, LOG_LEVEL_PATH, type LogLevelControl } from './log-level.js';
import { handleCollection, handleItem } from './resources.js';
import { parseApiPath, type Route } from './router.js';
import { handleSenderTokens, SENDER_TOKENS_PREFIX } from './sender-tokens.js';
import type { SenderTokens } from '../sender-tokens.js';
import type { RuntimeQueries } from './runtime.js';
import type { AdmissionChecks, ApiRequest, ApiResult } from './types.js';

export type { RuntimeQueries } from './runtime.js';
export { statusOf, type StatusObject } from './errors.js';
export { MAX_BODY_BYTES } from './body.js';

export interface ApiOptions {
  resources: ResourceStore;
  /** The admin bearer token every API request must carry. */
  token: string;
  /** Implemented by the data plane, wired by the server; routes it lacks answer 404. */
  runtime?: RuntimeQueries;
  /** The server's log level at `/admin/log-level`; absent: that path answers 404. */
  logLevel?: LogLevelControl;
  /** Sender tokens (`/apis/security.cemesh.dev/v1alpha1/.../sendertokens`); absent: those paths answer 404. */
  senderTokens?: SenderTokens;
  /** Checks beyond each kind's validation that need the server (the outbound guard). */
  admissionChecks?: AdmissionChecks;
  /** Extra unauthenticated exact-path GET routes (healthz, metrics...). */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  logger?: {
    info(o: object, msg?: string): void;
    warn(o: object, msg?: string): void;
    error(o: object, msg?: string): void;
  };
  now?: () => Date;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function createApiHandler(options: ApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const deps = {
    store: options.resources,
    now: options.now ?? (() => new Date()),
    runtime: options.runtime,
    ...(options.admissionChecks === undefined ? {} : { admissionChecks: options.admissionChecks }),
  };
  const routes = new Map(Object.entries(options.routes ?? {}));
  const tokenDigest = digest(options.token);
  const logger = options.logger;

  async function serve(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const [path = '/', search = ''] = (req.url ?? '/').split('?', 2);
    const method = req.method ?? 'GET';
    const extra = routes.get(path);
    if (extra !== undefined) {
      if (method !== 'GET' && method !== 'HEAD')
        throw new MeshError('MESH_METHOD_NOT_ALLOWED', `${path} answers GET only`);
      extra(req, res);
      return;
    }
    authenticate(req.headers.authorization);
    if (path === LOG_LEVEL_PATH) {
      const body = method === 'PUT' ? await readBody(req) : undefined;
      await write(res, handleLogLevel(options.logLevel, method, body), 'application/json');
      return;
    }
    if (path.startsWith(SENDER_TOKENS_PREFIX)) {
      const body = BODY_METHODS.has(method) ? await readBody(req) : undefined;
      await write(
        res,
        await handleSenderTokens(deps, options.senderTokens, method, path, body),
        'application/json',
      );
      return;
    }
    const discovery = discover(path) ?? openApi(path, req.headers.accept);
    if (discovery !== undefined) {
      if (method !== 'GET') throw new MeshError('MESH_METHOD_NOT_ALLOWED', `${path} answers GET only`);
      sendJson(res, 200, discovery);
      return;
    }
    const query = new URLSearchParams(search);
    if (path === APPLY_PATH) {
      refuseDryRun(query);
      const body = method === 'POST' ? await readBody(req) : undefined;
      await write(res, await handleApplyList(deps, method, query, body), 'application/json');
      return;
    }
    const route = parseApiPath(path);
    if (route === undefined) {
      throw new MeshError('MESH_NOT_FOUND', `the server could not find the requested resource: ${path}`);
    }
    const body = BODY_METHODS.has(method) ? await readBody(req) : undefined;
    refuseDryRun(query);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const bound = watchDeadline(query, signal);
    const request: ApiRequest = {
      method,
      route,
      query,
      contentType,
      body,
      representation: method === 'GET' ? negotiate(req.headers.accept) : { as: 'object' },
      signal: bound.signal,
    };
    try {
      await write(res, await dispatch(route, request), streamType(req.headers.accept));
    } finally {
      bound.clear();
    }
  }

  function dispatch(route: Route, request: ApiRequest): Promise<ApiResult> {
    switch (route.type) {
      case 'collection':
        return handleCollection(deps, request);
      case 'item':
        return handleItem(deps, request);
      case 'action':
        return handleAction(deps, request);
    }
  }

  function authenticate(header: string | undefined): void {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (match === null) {
      throw new MeshError(
        'MESH_UNAUTHORIZED',
        'Unauthorized: the request needs an "Authorization: Bearer <token>" header',
      );
    }
    // Compare digests so the comparison takes the same time whatever the token's length.
    if (options.token === '' || !timingSafeEqual(digest(match[1] ?? ''), tokenDigest)) {
      throw new MeshError('MESH_UNAUTHORIZED', 'Unauthorized: the bearer token is not valid');
    }
  }

  async function write(res: ServerResponse, result: ApiResult, contentType: string): Promise<void> {
    if ('body' in result) {
      for (const failure of result.failures ?? []) report(failure);
      if (result.warnings !== undefined && result.warnings.length > 0)
        res.setHeader('warning', warningHeaders(result.warnings));
      sendJson(res, result.status, result.body);
      return;
    }
    res.writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.flushHeaders();
    const lines = new LineWriter(res);
    try {
      for await (const line of result.lines) {
        if (res.destroyed) break;
        await lines.add(line);
      }
    } catch (error) {
      // The status line is gone: report the failure as a final ERROR line, as Kubernetes watches do.
      report(error);
      if (!res.destroyed) await lines.add({ type: 'ERROR', object: statusOf(error) });
    }
    lines.flush();
    res.end();
  }

  function report(error: unknown): void {
    if (isInternal(error)) logger?.error({ err: error }, 'control-plane request failed');
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    report(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A body left unread (401, 413, ...) is not drained: the connection closes instead.
    if (!req.complete) res.setHeader('connection', 'close');
    const status = statusOf(error);
    sendJson(res, status.code, status);
  }

  return (req, res) => {
    const controller = new AbortController();
    // Only a response cut short cancels the work (a watch, a long list): aborting after every finished
    // response built a DOMException per request, about 3% of the API's CPU when applying many objects.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    serve(req, res, controller.signal).catch((error: unknown) => {
      try {
        fail(req, res, error);
      } catch (failure) {
        logger?.error({ err: failure }, 'control-plane response failed');
        res.destroy();
      }
    });
  };
}

function refuseDryRun(query: URLSearchParams): void {
  if (query.has('dryRun')) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      'dryRun is not supported: cemesh has no dry-run writes (kubectl --dry-run=client works)',
    );
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 401 ? { 'www-authenticate': 'Bearer realm="cemesh"' } : {}),
  });
  res.end(text);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** `timeoutSeconds=N` bounds a watch, as in Kubernetes; the stream then ends normally. */
function watchDeadline(query: URLSearchParams, signal: AbortSignal): Deadline {
  const raw = query.get('timeoutSeconds');
  if (raw === null) return { signal, clear: () => undefined };
  if (!/^\d+$/.test(raw))
    throw new MeshError('MESH_REQUEST_INVALID', `timeoutSeconds must be a whole number, not "${raw}"`);
  return deadline(signal, Number(raw) * 1000);
}

/**
 * Streams (watches, tails) are JSON values one per line. Kubernetes clients (client-go, so kubectl) ask for
 * `application/json` and decode a watch only under that media type; everyone else gets `application/x-ndjson`.
 */
function streamType(accept: string | undefined): string {
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]?.trim().toLowerCase());
  return types.includes('application/json') && !types.includes('application/x-ndjson')
    ? 'application/json'
    : 'application/x-ndjson; charset=utf-8';
}
