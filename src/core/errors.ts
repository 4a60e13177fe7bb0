/**
 * The registry of cemesh error codes. Every failure that reaches a user carries one of these codes;
 * codes are stable (documented in docs/errors.md) and each listener maps them to HTTP in one function.
 */
export const errorCodes = {
  MESH_EVENT_INVALID: 'The request does not hold a valid CloudEvents 1.0 event.',
  MESH_SPECVERSION_UNSUPPORTED: 'The event names a CloudEvents spec version other than 1.0.',
  MESH_BODY_MALFORMED: 'The request body cannot be parsed in the format its content type names.',
  MESH_CONTENT_TYPE_UNSUPPORTED: 'The request uses an event format cemesh does not read.',
  MESH_BODY_TOO_LARGE: 'The request body is over the size limit.',
  MESH_LEGACY_EVENT_INVALID:
    'The legacy Kyma event request (`/{application}/v1/events`) lacks a required field or has an invalid one.',
  MESH_TTL_EXHAUSTED: 'The event has been re-ingested too often (knativebrokerttl reached 0).',
  MESH_NOT_FOUND: 'No such path.',
  MESH_BROKER_NOT_FOUND: 'No such broker in that namespace.',
  MESH_METHOD_NOT_ALLOWED: 'The HTTP method is not allowed on this path.',
  MESH_NOT_ACCEPTABLE: 'None of the media types the request accepts can be served.',
  MESH_UNAUTHORIZED: 'The request carries no valid credentials.',
  MESH_FORBIDDEN: 'The credentials do not allow this request.',
  MESH_HOST_NOT_ALLOWED:
    'The Host header names the admin listener by a name it does not answer to (a DNS-rebinding guard).',
  MESH_BACKEND_UNAVAILABLE: 'The persistence backend cannot take the request now; retry later.',
  MESH_BACKEND_FULL: 'The persistence backend is out of space; retry later.',
  MESH_BROKER_NOT_READY: 'The broker exists but is not Ready (its condition says why); retry later.',
  MESH_BACKLOG_FULL: 'Too many undelivered events are held in memory; retry later.',
  MESH_SHUTTING_DOWN: 'The server is shutting down; retry (another replica or after the restart).',
  MESH_DATA_DIR_LOCKED: 'Another cemesh process owns the data folder.',
  MESH_STORE_DAMAGED: 'The embedded database is missing, empty, truncated or corrupt.',
  MESH_RESOURCE_INVALID: 'The resource fails validation.',
  MESH_RESOURCE_NOT_FOUND: 'No such resource.',
  MESH_RESOURCE_EXISTS: 'A resource of that kind and name already exists.',
  MESH_RESOURCE_CONFLICT: 'The resource was changed since the given resourceVersion.',
  MESH_KIND_UNKNOWN: 'The kind or API group/version is not served by cemesh.',
  MESH_REQUEST_INVALID: 'The request is malformed.',
  MESH_INTERNAL: 'An unexpected internal error.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** A field-level validation error, as in a Kubernetes Status cause. */
export interface FieldError {
  /** Path of the offending field, e.g. `spec.filters[1].cesql`. */
  readonly field: string;
  readonly message: string;
}

export interface MeshErrorDetails {
  /** For event errors: the CloudEvents attribute at fault. */
  readonly attribute?: string;
  /** For event errors: the rule that was broken, e.g. `required`, `type:Integer`. */
  readonly rule?: string;
  /** For resource errors: every field error, all at once. */
  readonly causes?: readonly FieldError[];
}

/** A domain error with a stable code. Listeners map `code` to an HTTP status in one place each. */
export class MeshError extends Error {
  override readonly name = 'MeshError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: MeshErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isMeshError(error: unknown): error is MeshError {
  return error instanceof MeshError;
}
