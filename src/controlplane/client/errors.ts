/**
 * Client-side errors. Every failure the API answers becomes a ClientError carrying its Kubernetes Status
 * (message, code, causes); the two failures users meet first (no server, wrong token) say what to do.
 */

export interface StatusCause {
  readonly field: string;
  readonly message: string;
}

/** The Kubernetes `Status` object the API answers failures with (ARCHITECTURE 2.4). */
export interface Status {
  readonly kind: 'Status';
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly code: number;
  readonly details?: {
    readonly name?: string;
    readonly kind?: string;
    readonly causes?: readonly StatusCause[];
  };
}

export class ClientError extends Error {
  override readonly name = 'ClientError';
  /** The HTTP status (0 when the server could not be reached). */
  readonly code: number;
  readonly reason: string;
  /** Every field error the server reported. */
  readonly causes: readonly StatusCause[];

  constructor(
    readonly status: Status,
    message: string = status.message,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = status.code;
    this.reason = status.reason;
    this.causes = status.details?.causes ?? [];
  }
}

export function isClientError(error: unknown): error is ClientError {
  return error instanceof ClientError;
}

export function failure(code: number, reason: string, message: string, causes: StatusCause[] = []): Status {
  return { kind: 'Status', status: 'Failure', message, reason, code, details: { causes } };
}

/** Reads a Status from an error response; a body that is not one still gives a useful error. */
export function statusFromBody(code: number, text: string): Status {
  try {
    const value = JSON.parse(text) as Partial<Status> | null;
    if (
      value !== null &&
      typeof value === 'object' &&
      value.kind === 'Status' &&
      typeof value.message === 'string'
    ) {
      return { ...value, code: typeof value.code === 'number' ? value.code : code } as Status;
    }
  } catch {
    // Not JSON: fall through to a Status made from the text.
  }
  const snippet = text.trim().slice(0, 300);
  return failure(code, 'Unknown', `the server answered HTTP ${code}${snippet === '' ? '' : `: ${snippet}`}`);
}

/** 401: where the admin token comes from. */
export function unauthorized(status: Status): ClientError {
  return new ClientError(
    status,
    `${status.message}. The admin token comes from --token, the CEMESH_TOKEN environment variable, or ` +
      '<data-dir>/admin.token (default ./.cemesh/admin.token) on the machine that runs the server.',
  );
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && connectionCodes.has(code)) return code;
  }
  return undefined;
}

/** A ClientError when `error` means the server could not be reached; otherwise undefined. */
export function unreachable(server: string, error: unknown): ClientError | undefined {
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const detail = error instanceof Error && error.message !== '' ? error.message : code;
  return new ClientError(
    failure(0, 'Unreachable', `cannot reach the cemesh API at ${server} (${detail})`),
    `cannot reach the cemesh API at ${server} (${detail}). Start a server with \`cemesh serve\`, or point ` +
      '--server (or CEMESH_SERVER) at a running one.',
    { cause: error },
  );
}
