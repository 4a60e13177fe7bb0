/**
 * Sends one event to one HTTP destination through a keep-alive undici Pool per origin, with a per-attempt
 * timeout. Measured on this machine: undici Pool ~11k req/s on loopback, fetch ~1.2k req/s, so never fetch.
 */
import { rootCertificates } from 'node:tls';
import { Pool, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'undici/types/header.js';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { encodeBinary, encodeStructured, looksLikeCloudEvent } from '../../core/cloudevents/index.js';
import type { AttemptResult } from '../../core/delivery/index.js';
import type { OutboundGuard } from '../outbound/guard.js';
import { guardedConnector } from './guarded-connect.js';
import { OriginSlots } from './slots.js';
import { urlParts } from '../../core/url-parts.js';

/**
 * The most of a response body read, for replies and dead-letter annotations alike (the ingress limit of
 * ARCHITECTURE 2.2): past it the connection is aborted, so an endless body costs one megabyte, not a timeout.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** The most of a response head read (Node's own default), so a subscriber cannot send endless headers. */
const MAX_RESPONSE_HEADER_BYTES = 16 * 1024;

export interface Target {
  readonly uri: string;
  readonly origin: string;
  readonly path: string;
  /** PEM certificates trusted for this target's HTTPS besides the system's (a destination's CACerts). */
  readonly ca?: string;
}

/** Throws (as `new URL` does) when `uri` is not an absolute URL: admission lets no other reach here. */
export function parseTarget(uri: string, ca?: string): Target {
  const url = urlParts(uri);
  if (url === undefined) throw new TypeError(`Invalid URL: ${uri}`);
  return { uri, origin: url.origin, path: `${url.pathname}${url.search}`, ...(ca ? { ca } : {}) };
}

export interface SendOptions {
  readonly timeoutMs: number;
  readonly format: 'binary' | 'json';
  readonly headers: Readonly<Record<string, string>>;
}

export interface SendOutcome {
  readonly result: AttemptResult;
  /** Response headers and body, kept only for 2xx responses other than 202 (possible replies) and failures. */
  readonly responseHeaders?: IncomingHttpHeaders;
  readonly responseBody?: Uint8Array;
  /** The body went past MAX_RESPONSE_BYTES: the connection was aborted and `responseBody` holds its start. */
  readonly responseTruncated?: boolean;
  readonly durationMs: number;
}

export interface Sender {
  send(target: Target, event: CloudEvent, options: SendOptions): Promise<SendOutcome>;
  /**
   * The in-flight count delivery loops share for the connections this sender keeps to `target`'s origin
   * (slots.ts); undefined when it does not bound them (an origin served in this process).
   */
  slots?(target: Target): OriginSlots | undefined;
  close(): Promise<void>;
}

/** Something requests can be dispatched to: an undici Pool, or a hosted function's replicas. */
export type DispatchTarget = Pick<Dispatcher, 'dispatch'>;

export interface HttpSenderOptions {
  readonly connectionsPerOrigin?: number;
  /**
   * Dispatch targets for origins served inside this process (hosted functions), asked before the network;
   * undefined for every other origin.
   */
  readonly resolve?: (origin: string) => DispatchTarget | undefined;
  /** Refuses connections to the addresses it refuses (docs/security.md); none: every address is reachable. */
  readonly guard?: OutboundGuard;
}

export function createHttpSender(options: HttpSenderOptions = {}): Sender {
  const pools = new Map<string, Pool>();
  /** One per pool (same key), created with the first loop that asks, kept as long as the pools are. */
  const slots = new Map<string, OriginSlots>();
  const connections = options.connectionsPerOrigin ?? 128;
  const resolve = options.resolve;

  function poolFor(origin: string, ca: string | undefined): DispatchTarget {
    const local = resolve?.(origin);
    if (local) return local;
    const key = poolKey(origin, ca);
    let pool = pools.get(key);
    if (!pool) {
      // The attempt's own timer bounds every request (SendHandler), so undici's headers and body timeouts are
      // off: each is a timer object per request that undici forgets only on its next sweep, up to a second
      // later (a heap snapshot in the middle of an S5 drain held 8,700 of them; none with them off).
      pool = new Pool(origin, {
        connections,
        keepAliveTimeout: 30_000,
        pipelining: 1,
        headersTimeout: 0,
        bodyTimeout: 0,
        maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
        ...connectOptions(options.guard, origin, ca),
      });
      pools.set(key, pool);
    }
    return pool;
  }

  return {
    send(target, event, sendOptions) {
      const encoded = sendOptions.format === 'json' ? encodeStructured(event) : encodeBinary(event);
      // The encoder's headers are a fresh object per call: the extra headers are added to it in place. A spread
      // of the two into a new object made V8 allocate every such object straight into the old generation
      // (bench/backlog-heap.ts drain: about 0.8 KB of old space per delivery until a full GC, and 40% of the
      // drain rate: 9.6k -> 16.5k deliveries/s with the same steps).
      const headers = Object.assign(encoded.headers, sendOptions.headers);
      const body =
        encoded.body === undefined
          ? undefined
          : Buffer.from(encoded.body.buffer, encoded.body.byteOffset, encoded.body.byteLength);
      return new Promise<SendOutcome>((resolve) => {
        const handler = new SendHandler(resolve, sendOptions.timeoutMs);
        poolFor(target.origin, target.ca).dispatch(
          { path: target.path, method: 'POST', headers, body },
          handler,
        );
      });
    },
    slots(target) {
      if (resolve?.(target.origin)) return undefined;
      const key = poolKey(target.origin, target.ca);
      let found = slots.get(key);
      if (found === undefined) {
        found = new OriginSlots(connections);
        slots.set(key, found);
      }
      return found;
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.allSettled(all.map((pool) => pool.close()));
    },
  };
}

/** One pool per origin and trust: a CACerts is trusted only for the destinations that name it. */
function poolKey(origin: string, ca: string | undefined): string {
  return ca === undefined ? origin : `${origin}\n${ca}`;
}

/** The pool's connector: through the guard when there is one; trusting `ca` too (with the system's) when given. */
function connectOptions(
  guard: OutboundGuard | undefined,
  origin: string,
  ca: string | undefined,
): Pick<Pool.Options, 'connect'> {
  const tls = ca === undefined ? {} : { ca: [...rootCertificates, ca] };
  if (guard !== undefined) return { connect: guardedConnector(guard, portOf(origin), tls) };
  return ca === undefined ? {} : { connect: tls };
}

/**
 * One attempt as an undici dispatch handler. The request API would add a body stream, a handler object and
 * an AbortSignal per attempt (AbortSignal.timeout alone cost about 5% of the mesh's CPU under load); this
 * needs one object and one timer, and reads a response body only when it may be kept (a reply or a failure).
 *
 * The timeout covers the whole attempt from the moment it is handed to the pool, including any wait for a
 * free connection, as AbortSignal.timeout did.
 */
class SendHandler implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private status = 0;
  private headers: IncomingHttpHeaders | undefined;
  /** Body chunks, kept only for responses that may be a reply or explain a failure. */
  private chunks: Buffer[] | undefined;
  private size = 0;

  constructor(
    private readonly resolve: (outcome: SendOutcome) => void,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.timeOut(), timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // A request that timed out while it waited for a connection is dropped as soon as it gets one.
    if (this.settled) controller.abort(new Error('attempt timed out'));
    else this.controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.status = statusCode;
    // A 202 body is never a reply (ARCHITECTURE 3), and a 2xx body that is no CloudEvent is ignored.
    const success = statusCode >= 200 && statusCode < 300;
    const keep = statusCode !== 202 && (!success || looksLikeCloudEvent(headers));
    this.headers = keep ? headers : undefined;
    this.chunks = keep ? [] : undefined;
    this.size = 0;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.size + chunk.length > MAX_RESPONSE_BYTES) {
      // The exchange ends here with what came before; aborting closes the connection, which cannot be reused
      // with the rest of the body unread.
      this.chunks?.push(chunk.subarray(0, MAX_RESPONSE_BYTES - this.size));
      this.size = MAX_RESPONSE_BYTES;
      this.complete(true);
      controller.abort(new Error('response body too large'));
      return;
    }
    this.chunks?.push(chunk);
    this.size += chunk.length;
  }

  onResponseEnd(): void {
    this.complete(false);
  }

  private complete(truncated: boolean): void {
    if (!this.finish()) return;
    const durationMs = performance.now() - this.started;
    const status = this.status;
    if (this.headers === undefined || this.chunks === undefined) {
      this.resolve({ result: { kind: 'response', status }, durationMs });
      return;
    }
    const retryAfter = this.headers['retry-after'];
    this.resolve({
      result:
        typeof retryAfter === 'string'
          ? { kind: 'response', status, retryAfter }
          : { kind: 'response', status },
      responseHeaders: this.headers,
      responseBody: this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size),
      ...(truncated ? { responseTruncated: true } : {}),
      durationMs,
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.finish()) return;
    this.resolve({
      result: { kind: 'network-error', message: describe(error) },
      durationMs: performance.now() - this.started,
    });
  }

  private timeOut(): void {
    if (this.settled) return;
    this.settled = true;
    this.controller?.abort(new Error('attempt timed out'));
    this.resolve({ result: { kind: 'timeout' }, durationMs: performance.now() - this.started });
  }

  /** True the first time the attempt ends; clears the timer. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    return true;
  }
}

function portOf(origin: string): number {
  const url = urlParts(origin) ?? new URL(origin);
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
