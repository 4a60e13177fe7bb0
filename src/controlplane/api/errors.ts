/**
 * The one place the control-plane API turns errors into HTTP: every failure is answered with a Kubernetes
 * `Status` object (ARCHITECTURE 2.4), carrying every field error at once in `details.causes`.
 */
import { truncateEcho } from '../../core/echo.js';
import { isMeshError, type ErrorCode, type FieldError } from '../../core/errors.js';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes: FieldError[];
}

/** A Kubernetes `Status` object as the API sends it for every failure. */
export interface StatusObject {
  apiVersion: 'v1';
  kind: 'Status';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
  details: StatusDetails;
}

interface Mapping {
  readonly code: number;
  readonly reason: string;
}

/** HTTP status and Kubernetes reason per error code; codes not listed are internal errors (500). */
const mappings: Partial<Record<ErrorCode, Mapping>> = {
  MESH_RESOURCE_INVALID: { code: 422, reason: 'Invalid' },
  MESH_RESOURCE_NOT_FOUND: { code: 404, reason: 'NotFound' },
  MESH_RESOURCE_EXISTS: { code: 409, reason: 'AlreadyExists' },
  MESH_RESOURCE_CONFLICT: { code: 409, reason: 'Conflict' },
  MESH_KIND_UNKNOWN: { code: 404, reason: 'NotFound' },
  MESH_NOT_FOUND: { code: 404, reason: 'NotFound' },
  MESH_BROKER_NOT_FOUND: { code: 404, reason: 'NotFound' },
  MESH_UNAUTHORIZED: { code: 401, reason: 'Unauthorized' },
  MESH_FORBIDDEN: { code: 403, reason: 'Forbidden' },
  MESH_REQUEST_INVALID: { code: 400, reason: 'BadRequest' },
  MESH_BODY_MALFORMED: { code: 400, reason: 'BadRequest' },
  MESH_BODY_TOO_LARGE: { code: 413, reason: 'RequestEntityTooLarge' },
  MESH_METHOD_NOT_ALLOWED: { code: 405, reason: 'MethodNotAllowed' },
  MESH_NOT_ACCEPTABLE: { code: 406, reason: 'NotAcceptable' },
  MESH_CONTENT_TYPE_UNSUPPORTED: { code: 415, reason: 'UnsupportedMediaType' },
  MESH_HOST_NOT_ALLOWED: { code: 421, reason: 'MisdirectedRequest' },
  MESH_BACKEND_UNAVAILABLE: { code: 503, reason: 'ServiceUnavailable' },
  MESH_BACKEND_FULL: { code: 507, reason: 'InsufficientStorage' },
};

/** True when `statusOf(error)` would hide the error behind a generic 500 (the caller should log it). */
export function isInternal(error: unknown): boolean {
  return !isMeshError(error) || mappings[error.code] === undefined;
}

/**
 * Maps any thrown value to the Status the client sees. MeshErrors with a known code keep their message and
 * causes; anything else becomes a 500 whose message reveals nothing about the internals.
 */
export function statusOf(error: unknown, details: Omit<StatusDetails, 'causes'> = {}): StatusObject {
  const mapping = isMeshError(error) ? mappings[error.code] : undefined;
  if (!isMeshError(error) || mapping === undefined) {
    return status(500, 'InternalError', 'internal error: the request could not be completed', details, []);
  }
  const causes = (error.details.causes ?? []).map((c) => ({
    field: truncateEcho(c.field),
    message: truncateEcho(c.message),
  }));
  return status(mapping.code, mapping.reason, error.message, details, causes);
}

function status(
  code: number,
  reason: string,
  message: string,
  details: Omit<StatusDetails, 'causes'>,
  causes: FieldError[],
): StatusObject {
  return {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message: truncateEcho(message),
    reason,
    code,
    details: {
      ...details,
      ...(details.name === undefined ? {} : { name: truncateEcho(details.name) }),
      causes,
    },
  };
}
