/**
 * The error body of the legacy Kyma event API (ARCHITECTURE 2.3): `{status, type, message, moreInfo, details:
 * [{field, type, message, moreInfo}]}`. The type and message strings are those of Kyma's event service and
 * event publisher proxy (`legacy-events` constants and error responses; see docs/gateway.md), so clients that
 * branch on them keep working.
 */
import { isMeshError, MeshError, type ErrorCode } from '../errors.js';

export interface KymaErrorDetail {
  readonly field: string;
  readonly type: string;
  readonly message: string;
  readonly moreInfo: string;
}

export interface KymaError {
  /** The HTTP status, repeated in the body as Kyma does. */
  readonly status: number;
  readonly type: string;
  readonly message: string;
  readonly moreInfo: string;
  readonly details: readonly KymaErrorDetail[];
}

/** The fields of a legacy publish request, by their wire names. */
export type LegacyField = 'event-type' | 'event-type-version' | 'event-id' | 'event-time' | 'data';

export type LegacyRule = 'missing_field' | 'invalid_field';

const BAD_PAYLOAD = 'bad_payload_syntax';
const VALIDATION_VIOLATION = 'validation_violation';
const TOO_LARGE = 'request_body_too_large';

const MESSAGES: Readonly<Record<LegacyRule, string>> = {
  missing_field: 'Missing field',
  invalid_field: 'Invalid field',
};

/** Kyma answers an empty body with this text in both `message` and `moreInfo`. */
export const BAD_PAYLOAD_MESSAGE = 'Bad payload syntax';

/** A field rule broken, as a MeshError the legacy route maps to a 400 `validation_violation`. */
export function legacyFieldError(field: LegacyField, rule: LegacyRule, why: string): MeshError {
  return new MeshError('MESH_LEGACY_EVENT_INVALID', `${field}: ${why}`, {
    rule,
    causes: [{ field, message: MESSAGES[rule] }],
  });
}

/** What a listener's generic mapping says about an error that has no Kyma form (auth, storage, ...). */
export interface GenericReply {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * The one mapping of the legacy route: any thrown value to a Kyma error body. Body-size, syntax and field
 * errors get Kyma's own types and messages; everything else keeps the status the listener's generic mapping
 * gives it, with the cemesh code (without `MESH_`, in lower case) as its type.
 */
export function toKymaError(error: unknown, generic: (error: unknown) => GenericReply): KymaError {
  if (isMeshError(error)) {
    switch (error.code) {
      case 'MESH_BODY_TOO_LARGE':
        return body(413, TOO_LARGE, 'Request body too large', error.message);
      case 'MESH_BODY_MALFORMED':
        return body(400, BAD_PAYLOAD, BAD_PAYLOAD_MESSAGE, error.message);
      case 'MESH_LEGACY_EVENT_INVALID': {
        const rule = error.details.rule === 'missing_field' ? 'missing_field' : 'invalid_field';
        const field = error.details.causes?.[0]?.field ?? '';
        const message = MESSAGES[rule];
        return {
          ...body(400, VALIDATION_VIOLATION, message, ''),
          details: [{ field, type: rule, message, moreInfo: '' }],
        };
      }
    }
  }
  const reply = generic(error);
  // Kyma's publisher proxy names its 500s `internal_server`.
  const type = reply.code === 'MESH_INTERNAL' ? 'internal_server' : reply.code.slice(5).toLowerCase();
  return body(reply.status, type, reply.message, '');
}

function body(status: number, type: string, message: string, moreInfo: string): KymaError {
  return { status, type, message, moreInfo, details: [] };
}
