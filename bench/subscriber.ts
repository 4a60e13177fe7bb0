/**
 * The subscribers, a process of their own: node:http servers that read each delivery, note its receipt time
 * and end-to-end latency (receipt minus the sender's `ce-benchsent`), and answer 200 with no body.
 *
 * A server can answer after a fixed delay (the slow subscriber of S6), or start `down`: it accepts
 * connections and reads requests but answers none until `up` (S5). A refused connection would measure the
 * retry schedule instead of the backlog: with the default exponential backoff an event that failed for 25 s
 * waits another 25 s before its next attempt.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SENT_HEADER, now } from './events.js';
import { serveRpc } from './rpc.js';
import { Samples, type Percentiles } from './stats.js';

export interface ListenOptions {
  /** Answer every request after this many ms. */
  readonly delayMs?: number;
  /** Hold every request unanswered until `up`. */
  readonly down?: boolean;
}

export interface SubscriberStats {
  readonly count: number;
  readonly firstAt: number | undefined;
  readonly lastAt: number | undefined;
  /** When `up` was called (down servers only). */
  readonly upAt: number | undefined;
  /** Deliveries per request path. */
  readonly paths: Record<string, number>;
  /** TCP connections accepted: more than the sender's pool size means connections are not being reused. */
  readonly connections: number;
  readonly latency: Percentiles | undefined;
}

interface Endpoint {
  readonly server: Server;
  readonly options: ListenOptions;
  readonly latency: Samples;
  readonly paths: Map<string, number>;
  readonly held: { res: ServerResponse; path: string }[];
  count: number;
  connections: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
  upAt: number | undefined;
  down: boolean;
}

const endpoints = new Map<string, Endpoint>();
let nextName = 1;

function record(endpoint: Endpoint, path: string, at: number, latencyMs: number | undefined): void {
  endpoint.count++;
  endpoint.firstAt ??= at;
  endpoint.lastAt = at;
  endpoint.paths.set(path, (endpoint.paths.get(path) ?? 0) + 1);
  if (latencyMs !== undefined) endpoint.latency.add(latencyMs);
}

function handle(endpoint: Endpoint, req: IncomingMessage, res: ServerResponse): void {
  req.on('data', () => {});
  req.on('end', () => {
    const path = req.url ?? '/';
    if (endpoint.down) {
      endpoint.held.push({ res, path });
      return;
    }
    const answer = (): void => {
      const at = now();
      const sent = Number(req.headers[SENT_HEADER]);
      record(endpoint, path, at, Number.isFinite(sent) ? at - sent : undefined);
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    };
    if (endpoint.options.delayMs) setTimeout(answer, endpoint.options.delayMs);
    else answer();
  });
}

async function listen(options: ListenOptions): Promise<{ name: string; url: string }> {
  const name = `s${nextName++}`;
  const endpoint: Endpoint = {
    server: createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) =>
      handle(endpoint, req, res),
    ),
    options,
    latency: new Samples(),
    paths: new Map(),
    held: [],
    count: 0,
    connections: 0,
    firstAt: undefined,
    lastAt: undefined,
    upAt: undefined,
    down: options.down === true,
  };
  endpoint.server.on('connection', () => endpoint.connections++);
  await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
  endpoints.set(name, endpoint);
  const { port } = endpoint.server.address() as AddressInfo;
  return { name, url: `http://127.0.0.1:${port}` };
}

function get(name: string): Endpoint {
  const endpoint = endpoints.get(name);
  if (!endpoint) throw new Error(`no subscriber ${name}`);
  return endpoint;
}

/** Brings a down server up: answers every held request (counted now; their latency means nothing). */
function up(name: string): void {
  const endpoint = get(name);
  endpoint.down = false;
  endpoint.upAt = now();
  for (const { res, path } of endpoint.held.splice(0)) {
    record(endpoint, path, now(), undefined);
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  }
}

function stats(name: string): SubscriberStats {
  const endpoint = get(name);
  return {
    count: endpoint.count,
    firstAt: endpoint.firstAt,
    lastAt: endpoint.lastAt,
    upAt: endpoint.upAt,
    paths: Object.fromEntries(endpoint.paths),
    connections: endpoint.connections,
    latency: endpoint.latency.percentiles(),
  };
}

/** Forgets what was counted so far (after a warm-up). */
function reset(name: string): void {
  const endpoint = get(name);
  endpoint.count = 0;
  endpoint.firstAt = endpoint.lastAt = undefined;
  endpoint.paths.clear();
  endpoint.latency.clear();
}

async function close(name: string): Promise<void> {
  const endpoint = get(name);
  endpoints.delete(name);
  endpoint.server.closeAllConnections();
  await new Promise<void>((resolve) => endpoint.server.close(() => resolve()));
}

serveRpc({
  listen: (options: ListenOptions) => listen(options),
  up: (params: { name: string }) => up(params.name),
  /** Delivery counts of every server, cheap enough to poll for progress. */
  counts: (): Record<string, number> => Object.fromEntries([...endpoints].map(([n, e]) => [n, e.count])),
  stats: (params: { name: string }) => stats(params.name),
  reset: (params: { name: string }) => reset(params.name),
  close: (params: { name: string }) => close(params.name),
});
