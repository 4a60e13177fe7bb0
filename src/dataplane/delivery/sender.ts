/**
 * Sends one event to one HTTP destination through a keep-alive undici Pool per origin, with a per-attempt
 * timeout. Measured on this machine: undici Pool ~11k req/s on loopback, fetch ~1.2k req/s, so never fetch.
 */
import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'undici/types/header.js';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { encodeBinary, encodeStructured, looksLikeCloudEvent } from '../../core/cloudevents/index.js';
import type { AttemptResult } from '../../core/delivery/index.js';

/** The most of a response body kept for replies and dead-letter annotations. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface Target {
  readonly uri: string;
  readonly origin: string;
  readonly path: string;
}

export function parseTarget(uri: string): Target {
  const url = new URL(uri);
  return { uri, origin: url.origin, path: `${url.pathname}${url.search}` };
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
  readonly durationMs: number;
}

export interface Sender {
  send(target: Target, event: CloudEvent, options: SendOptions): Promise<SendOutcome>;
  close(): Promise<void>;
}

export function createHttpSender(options: { connectionsPerOrigin?: number } = {}): Sender {
  const pools = new Map<string, Pool>();
  const connections = options.connectionsPerOrigin ?? 128;

  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections, keepAliveTimeout: 30_000, pipelining: 1 });
      pools.set(origin, pool);
    }
    return pool;
  }

  return {
    async send(target, event, sendOptions) {
      const started = performance.now();
      const encoded = sendOptions.format === 'json' ? encodeStructured(event) : encodeBinary(event);
      const headers = { ...encoded.headers, ...sendOptions.headers };
      const signal = AbortSignal.timeout(sendOptions.timeoutMs);
      try {
        const response = await poolFor(target.origin).request({
          path: target.path,
          method: 'POST',
          headers,
          body:
            encoded.body === undefined
              ? undefined
              : Buffer.from(encoded.body.buffer, encoded.body.byteOffset, encoded.body.byteLength),
          signal,
        });
        const status = response.statusCode;
        // A 202 body is never a reply (ARCHITECTURE 3), and a 2xx body that is no CloudEvent is ignored.
        const success = status >= 200 && status < 300;
        if (status === 202 || (success && !looksLikeCloudEvent(response.headers))) {
          await response.body.dump();
          return { result: { kind: 'response', status }, durationMs: performance.now() - started };
        }
        const body = await readLimited(response.body);
        const retryAfter = response.headers['retry-after'];
        const result: AttemptResult =
          typeof retryAfter === 'string'
            ? { kind: 'response', status, retryAfter }
            : { kind: 'response', status };
        return {
          result,
          responseHeaders: response.headers,
          responseBody: body,
          durationMs: performance.now() - started,
        };
      } catch (error) {
        const durationMs = performance.now() - started;
        if (signal.aborted) return { result: { kind: 'timeout' }, durationMs };
        return { result: { kind: 'network-error', message: describe(error) }, durationMs };
      }
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.allSettled(all.map((pool) => pool.close()));
    },
  };
}

async function readLimited(body: AsyncIterable<Buffer> & { dump(): Promise<void> }): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      await body.dump();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
