/**
 * Maps what the NATS client throws to the store contract's errors, in one place: a stream or server out of
 * space is MESH_BACKEND_FULL (the ingress answers 507), a server that cannot be reached, does not answer in
 * time or has no JetStream is MESH_BACKEND_UNAVAILABLE (503); both say "retry later", never a lost 202
 * (ARCHITECTURE 2.2).
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import { MeshError } from '../../core/errors.js';

/** JetStream API error codes (nats-server errors.json) that mean "no space left". */
const FULL_CODES = new Set([
  10023, // insufficient resources
  10028, // insufficient memory resources available
  10047, // insufficient storage resources available
]);

/** Store failures (10077) whose text says a stream limit was hit, with discard policy `new`. */
const FULL_MESSAGES = /maximum (bytes|messages|messages per subject) exceeded|resource limits exceeded/i;

/** True for the JetStream API error with the given code (e.g. 10014 consumer not found). */
export function hasApiCode(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

export const API_CONSUMER_NOT_FOUND = 10014;
export const API_STREAM_NOT_FOUND = 10059;
export const API_NO_MESSAGE_FOUND = 10037;
export const API_WRONG_LAST_SEQUENCE = 10071;
export const API_STREAM_NAME_IN_USE = 10058;
export const API_CONSUMER_NAME_IN_USE = 10013;
export const API_CONSUMER_EXISTS = 10148;

/** The MeshError for a failed store operation; `what` names the operation for the message. */
export function toMeshError(error: unknown, what: string): MeshError {
  if (error instanceof MeshError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof JetStreamApiError) {
    if (FULL_CODES.has(error.code) || FULL_MESSAGES.test(detail)) {
      return new MeshError(
        'MESH_BACKEND_FULL',
        `${what}: the JetStream stream is full (${detail})`,
        {},
        {
          cause: error,
        },
      );
    }
  }
  // The server's "maximum payload", and the client's own check before sending ("max_payload size exceeded").
  if (/max(imum)?[ _]payload/i.test(detail)) {
    return new MeshError(
      'MESH_BODY_TOO_LARGE',
      `${what}: the event is larger than the NATS server's max_payload`,
      {},
      { cause: error },
    );
  }
  return new MeshError(
    'MESH_BACKEND_UNAVAILABLE',
    `${what}: JetStream is unavailable (${detail})`,
    {},
    {
      cause: error,
    },
  );
}
