/**
 * One HTTP exchange with the API over undici's `request`: bearer token, JSON in and out, Status errors
 * turned into ClientErrors, and NDJSON streams read line by line.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { ClientError, failure, isClientError, statusFromBody, unauthorized, unreachable } from './errors.js';

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
  json<T>(method: Dispatcher.HttpMethod, path: string, options?: CallOptions): Promise<T>;
  /** JSON values of an NDJSON response, one per line, until the server ends it or `signal` aborts. */
  lines(path: string, options: CallOptions & { signal: AbortSignal }): AsyncGenerator<unknown>;
  close(): Promise<void>;
}

export function createTransport(
  server: string,
  token: string | undefined,
  onWarning?: (warning: string) => void,
): Transport {
  const base = server.replace(/\/+$/, '');
  // Streams (watch, tail) may be quiet for long: no body timeout, and TCP keep-alive keeps them open.
  const agent = new Agent({ bodyTimeout: 0, keepAliveTimeout: 4_000 });

  async function send(
    method: Dispatcher.HttpMethod,
    path: string,
    options: CallOptions,
  ): Promise<Dispatcher.ResponseData> {
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
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { method, headers, body, signal: options.signal, dispatcher: agent });
    } catch (error) {
      throw unreachable(base, error) ?? error;
    }
    if (onWarning !== undefined)
      for (const warning of warningsOf(response.headers.warning)) onWarning(warning);
    if (response.statusCode >= 400) {
      const status = statusFromBody(response.statusCode, await response.body.text());
      throw response.statusCode === 401 ? unauthorized(status) : new ClientError(status);
    }
    return response;
  }

  return {
    server: base,
    async json<T>(method: Dispatcher.HttpMethod, path: string, options: CallOptions = {}): Promise<T> {
      const response = await send(method, path, options);
      return (await response.body.json()) as T;
    },
    async *lines(path: string, options: CallOptions & { signal: AbortSignal }): AsyncGenerator<unknown> {
      const response = await send('GET', path, options);
      let pending = '';
      try {
        for await (const chunk of response.body) {
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
        response.body.destroy();
      }
      if (pending.trim() !== '') yield parseLine(pending.trim());
    },
    close: () => agent.close(),
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
