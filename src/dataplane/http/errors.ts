import { truncateEcho } from '../../core/echo.js';
import { isMeshError, type ErrorCode } from '../../core/errors.js';

/** The HTTP status of each error code on the data-plane listeners (ingress and gateway). */
const statusOf: Partial<Record<ErrorCode, number>> = {
  MESH_EVENT_INVALID: 400,
  MESH_SPECVERSION_UNSUPPORTED: 400,
  MESH_BODY_MALFORMED: 400,
  MESH_TTL_EXHAUSTED: 400,
  MESH_LEGACY_EVENT_INVALID: 400,
  MESH_REQUEST_INVALID: 400,
  MESH_CONTENT_TYPE_UNSUPPORTED: 415,
  MESH_UNAUTHORIZED: 401,
  MESH_FORBIDDEN: 403,
  MESH_NOT_FOUND: 404,
  MESH_BROKER_NOT_FOUND: 404,
  MESH_METHOD_NOT_ALLOWED: 405,
  MESH_BODY_TOO_LARGE: 413,
  MESH_BACKEND_UNAVAILABLE: 503,
  MESH_BACKEND_FULL: 507,
  MESH_BROKER_NOT_READY: 503,
  MESH_BACKLOG_FULL: 503,
  MESH_SHUTTING_DOWN: 503,
};

/**
 * Seconds a sender should wait before retrying a refusal (RFC 9110 10.2.3): every 503 and 507 carries one,
 * so a client library's backoff has something to read. Nothing was acknowledged in any of these cases.
 */
const retryAfterOf: Partial<Record<ErrorCode, number>> = {
  MESH_BACKEND_UNAVAILABLE: 1,
  MESH_BROKER_NOT_READY: 5,
  MESH_BACKLOG_FULL: 1,
  MESH_SHUTTING_DOWN: 5,
  MESH_BACKEND_FULL: 30,
};

export interface ErrorReply {
  readonly status: number;
  /** The `Retry-After` header's value in seconds, for refusals that may succeed later. */
  readonly retryAfter?: number;
  readonly body: { code: ErrorCode; message: string; attribute?: string; rule?: string };
}

/** Maps any thrown value to the status and JSON body a data-plane listener answers with. */
export function errorReply(error: unknown): ErrorReply {
  if (isMeshError(error)) {
    const body: ErrorReply['body'] = { code: error.code, message: truncateEcho(error.message) };
    if (error.details.attribute !== undefined) body.attribute = error.details.attribute;
    if (error.details.rule !== undefined) body.rule = error.details.rule;
    const retryAfter = retryAfterOf[error.code];
    return { status: statusOf[error.code] ?? 500, body, ...(retryAfter === undefined ? {} : { retryAfter }) };
  }
  return { status: 500, body: { code: 'MESH_INTERNAL', message: 'internal error' } };
}

/** A refusal that is the backend's state (unavailable, full), not a fault: logged without a stack. */
export function isExpected(reply: ErrorReply): boolean {
  return reply.body.code === 'MESH_BACKEND_UNAVAILABLE' || reply.body.code === 'MESH_BACKEND_FULL';
}
