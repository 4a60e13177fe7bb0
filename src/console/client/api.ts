/**
 * Talking to the same-origin REST API (docs/api.md) with the admin token, which lives in this tab's
 * sessionStorage and goes out only as a bearer token. Failures are ApiErrors carrying the Status the API
 * sent (its message and field causes), so forms can show each cause at its field.
 */
const TOKEN_KEY = 'cemesh.console.token';

export interface Cause {
  readonly field: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly causes: readonly Cause[] = [],
  ) {
    super(message);
  }
}

let token = readToken();
let onUnauthorized: (message: string) => void = () => {};

function readToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function currentToken(): string {
  return token;
}

export function setToken(value: string): void {
  token = value;
  try {
    if (value === '') sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, value);
  } catch {
    // storage disabled: the token lasts until the page is left
  }
}

export function whenUnauthorized(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

interface RequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  readonly accept?: string;
}

/** fetch with the bearer token; a non-2xx answer throws an ApiError with the API's Status. */
export async function call(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: options.accept ?? 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null,
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.ok) return response;
  const text = await response.text();
  let message = `HTTP ${response.status}`;
  let causes: Cause[] = [];
  try {
    const status = JSON.parse(text) as { message?: string; details?: { causes?: Cause[] } };
    message = status.message ?? message;
    causes = status.details?.causes ?? [];
  } catch {
    // not a Status
  }
  if (response.status === 401) onUnauthorized(message);
  throw new ApiError(response.status, message, causes);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await (await call(path, signal === undefined ? {} : { signal })).json()) as T;
}

export async function sendJson<T>(
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<T> {
  const response = await call(path, {
    method,
    ...(body === undefined ? {} : { body }),
    ...(contentType === undefined ? {} : { contentType }),
  });
  return (await response.json()) as T;
}

/**
 * Reads an NDJSON answer (watch, tail) line by line until it ends or `signal` aborts. `onOpen` runs once
 * the headers arrived; `onLine` may throw to stop reading.
 */
export async function readLines(
  path: string,
  signal: AbortSignal,
  onLine: (line: Record<string, unknown>) => void,
  onOpen?: () => void,
): Promise<void> {
  const response = await call(path, { signal, accept: 'application/x-ndjson' });
  onOpen?.();
  if (response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += chunk.value;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine(JSON.parse(line) as Record<string, unknown>);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
