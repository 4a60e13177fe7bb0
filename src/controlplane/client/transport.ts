/**
 * One HTTP exchange with the API over node:http (or node:https): bearer token, JSON in and out, Status
 * errors turned into ClientErrors, and NDJSON streams read line by line. Not undici here: loading it took
 * about 120 ms of every CLI command's start (BENCHMARKS.md), for a few requests per run.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { ClientError, failure, isClientError, statusFromBody, unauthorized, unreachable } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
  /** A body already written as JSON text (sent as it is, instead of `body`). */
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface Transport {
  readonly server: string;
  json<T>(method: HttpMethod, path: string, options?: CallOptions): Promise<T>;
  /** JSON values of an NDJSON response, one per line, until the server ends it or `signal` aborts. */
  lines(path: string, options: CallOptions & { signal: AbortSignal }): AsyncGenerator<unknown>;
  close(): Promise<void>;
}

/** How long a request may take to connect, and then to get its answer's status and headers. */
export interface TransportBounds {
  readonly connectMs: number;
  readonly answerMs: number;
}

/** The bounds undici applied when the client used it: 10 s to connect, 300 s for the answer's head. */
export const DEFAULT_BOUNDS: TransportBounds = { connectMs: 10_000, answerMs: 300_000 };

export function createTransport(
  server: string,
  token: string | undefined,
  onWarning?: (warning: string) => void,
  bounds: TransportBounds = DEFAULT_BOUNDS,
): Transport {
  const base = server.replace(/\/+$/, '');
  // Connections are kept between the requests of one command; an idle one does not keep the process alive.
  // Streams (watch, tail) may be quiet for long: no timeout on a response's body.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  function exchange(
    method: HttpMethod,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<IncomingMessage> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        url,
        { method, headers, agent: secure ? agents.https : agents.http, signal },
        (response) => {
          clearTimeout(answer);
          resolve(response);
        },
      );
      // Connecting and waiting for the answer's head are bounded; a stream's body may stay quiet for long.
      const answer = setTimeout(
        () => req.destroy(new Error(`${base} did not answer within ${bounds.answerMs / 1000} s`)),
        bounds.answerMs,
      );
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connect = setTimeout(() => req.destroy(connectTimedOut(bounds.connectMs)), bounds.connectMs);
        socket.once('connect', () => clearTimeout(connect));
        socket.once('close', () => clearTimeout(connect));
      });
      req.on('error', (error) => {
        clearTimeout(answer);
        reject(error);
      });
      req.end(body);
    });
  }

  async function send(method: HttpMethod, path: string, options: CallOptions): Promise<IncomingMessage> {
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined || options.rawBody !== undefined) {
      body = options.rawBody ?? JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    let response: IncomingMessage;
    try {
      response = await exchange(method, url, headers, body, options.signal);
    } catch (error) {
      throw unreachable(base, error) ?? error;
    }
    // headersDistinct: several Warning headers stay apart (headers would join them with commas).
    if (onWarning !== undefined)
      for (const warning of warningsOf(response.headersDistinct['warning'])) onWarning(warning);
    const status = response.statusCode ?? 0;
    if (status >= 400) {
      const answer = statusFromBody(status, await textOf(response));
      throw status === 401 ? unauthorized(answer) : new ClientError(answer);
    }
    return response;
  }

  return {
    server: base,
    async json<T>(method: HttpMethod, path: string, options: CallOptions = {}): Promise<T> {
      const response = await send(method, path, options);
      const text = await textOf(response);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    async *lines(path: string, options: CallOptions & { signal: AbortSignal }): AsyncGenerator<unknown> {
      const response = await send('GET', path, options);
      let pending = '';
      try {
        for await (const chunk of response) {
          pending += (chunk as Buffer).toString('utf8');
          let newline: number;
          while ((newline = pending.indexOf('\n')) >= 0) {
            // Lines of a chunk that arrived with the one the caller stopped at are not handed out after abort.
            if (options.signal.aborted) return;
            const line = pending.slice(0, newline).trim();
            pending = pending.slice(newline + 1);
            if (line !== '') yield parseLine(line);
          }
        }
      } catch (error) {
        if (options.signal.aborted) return;
        if (isClientError(error)) throw error;
        // The stream had started: the server went away (restart, shutdown) rather than never answering.
        const detail = error instanceof Error ? error.message : String(error);
        throw new ClientError(
          failure(0, 'Unreachable', `the stream from ${base} ended: ${detail}`),
          undefined,
          {
            cause: error,
          },
        );
      } finally {
        response.destroy();
      }
      if (pending.trim() !== '') yield parseLine(pending.trim());
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
      return Promise.resolve();
    },
  };
}

/**
 * The texts of `Warning` headers (RFC 7234 5.5: `code agent "text"`). The server quotes the text as JSON
 * does; a text that does not parse is shown as it came.
 */
export function warningsOf(header: string | string[] | undefined): string[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return values.map((value) => {
    const quoted = /^\d{3} \S+ ("(?:[^"\\]|\\.)*")/.exec(value)?.[1];
    if (quoted === undefined) return value;
    try {
      return String(JSON.parse(quoted));
    } catch {
      return value;
    }
  });
}

function parseLine(line: string): unknown {
  const value = JSON.parse(line) as unknown;
  // A stream that fails after it started ends with {"type":"ERROR","object":Status}, as Kubernetes watches do.
  if (typeof value === 'object' && value !== null) {
    const { type, object } = value as { type?: unknown; object?: { kind?: unknown; code?: unknown } };
    if (type === 'ERROR' && object?.kind === 'Status') {
      throw new ClientError(statusFromBody(Number(object.code) || 500, JSON.stringify(object)));
    }
  }
  return value;
}

/** A response's whole body as text. */
async function textOf(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A connect that did not finish in time, coded as the system's own timeout so it reads as unreachable. */
function connectTimedOut(ms: number): Error {
  return Object.assign(new Error(`connect timed out after ${ms} ms`), { code: 'ETIMEDOUT' });
}
