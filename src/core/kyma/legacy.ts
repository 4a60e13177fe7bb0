/**
 * The legacy Kyma event API, `POST /{application}/v1/events` (ARCHITECTURE 2.3): validation of the request
 * body in Kyma's order, with Kyma's error types, and conversion to a CloudEvents 1.0 event. Pure.
 *
 * The order and the rules are those of Kyma's event service (`checkParameters`, kept unchanged by the event
 * publisher proxy): an empty body; the JSON syntax (and member types); event-type present; event-type-version
 * present, then well-formed; event-time present, then RFC 3339; event-id, when given, a UUID; data present
 * and not the empty string. The first broken rule is reported, as Kyma reports one.
 */
import { withAttributes, validateEvent, type CloudEvent } from '../cloudevents/index.js';
import { parseJsonBody } from '../cloudevents/json-body.js';
import { isTimestamp } from '../cloudevents/timestamp.js';
import { isMeshError, MeshError } from '../errors.js';
import { BAD_PAYLOAD_MESSAGE, legacyFieldError, type LegacyField } from './errors.js';
import { topLevelMemberText } from './json-member.js';

/** The CloudEvents extension that carries the legacy `event-type-version` (Kyma's name for it). */
export const EVENT_TYPE_VERSION_EXTENSION = 'eventtypeversion';

/** The media type of a legacy event's data: the `data` member is JSON. */
export const LEGACY_DATA_CONTENT_TYPE = 'application/json';

/** Largest legacy request body (ARCHITECTURE 2.3; Kyma's event service limit). */
export const LEGACY_MAX_BODY_BYTES = 64 * 1024;

export interface LegacyPublishRequest {
  readonly eventType: string;
  readonly eventTypeVersion: string;
  /** Absent or empty in the request: the gateway assigns a new UUID. */
  readonly eventId: string | undefined;
  readonly eventTime: string;
  /** The `data` member exactly as it appears in the request body (a JSON text). */
  readonly data: string;
}

// Kyma's pattern is unanchored (`[a-zA-Z0-9]+` with MatchString): a version passes when it holds at least one
// ASCII letter or digit, so "v1.0" passes and "." does not. Kept as is so that what Kyma accepted is accepted.
const VERSION = /[a-zA-Z0-9]+/;
const UUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;

const STRING_MEMBERS = ['event-type', 'event-type-version', 'event-id', 'event-time'] as const;

/** Validates a legacy request body; throws the first broken rule as a MeshError (see kyma/errors.ts). */
export function parseLegacyRequest(body: Uint8Array): LegacyPublishRequest {
  if (body.length === 0) throw new MeshError('MESH_BODY_MALFORMED', BAD_PAYLOAD_MESSAGE);
  const { text, value } = parseJsonBody(body);
  // Kyma decodes into a struct: `null` leaves every field empty; any other non-object is a syntax error.
  const members = value === null ? {} : value;
  if (typeof members !== 'object' || Array.isArray(members)) {
    throw new MeshError(
      'MESH_BODY_MALFORMED',
      `the body must be a JSON object with event-type, event-type-version, event-time and data, not ${describe(members)}`,
    );
  }
  const fields = members as Record<string, unknown>;
  for (const name of STRING_MEMBERS) {
    const member = fields[name];
    if (member !== undefined && member !== null && typeof member !== 'string') {
      throw new MeshError('MESH_BODY_MALFORMED', `${name}: must be a string, not ${describe(member)}`);
    }
  }
  const stringField = (name: (typeof STRING_MEMBERS)[number]): string =>
    (fields[name] as string | null) ?? '';
  const eventType = stringField('event-type');
  const eventTypeVersion = stringField('event-type-version');
  const eventTime = stringField('event-time');
  const eventId = stringField('event-id');
  if (eventType === '') throw legacyFieldError('event-type', 'missing_field', 'required');
  if (eventTypeVersion === '') throw legacyFieldError('event-type-version', 'missing_field', 'required');
  if (!VERSION.test(eventTypeVersion)) {
    throw legacyFieldError('event-type-version', 'invalid_field', 'must contain a letter or a digit');
  }
  if (eventTime === '') throw legacyFieldError('event-time', 'missing_field', 'required');
  if (!isLegacyTime(eventTime)) {
    throw legacyFieldError(
      'event-time',
      'invalid_field',
      'must be an RFC 3339 time, e.g. 2024-05-01T12:00:00Z',
    );
  }
  if (eventId !== '' && !UUID.test(eventId)) {
    throw legacyFieldError('event-id', 'invalid_field', 'must be a UUID');
  }
  const data = fields['data'];
  if (data === undefined || data === null || data === '') {
    throw legacyFieldError('data', 'missing_field', 'required (null and "" count as missing)');
  }
  return {
    eventType,
    eventTypeVersion,
    eventId: eventId === '' ? undefined : eventId,
    eventTime,
    data: topLevelMemberText(text, 'data') ?? JSON.stringify(data),
  };
}

/**
 * Kyma parses event-time with Go's `time.Parse(time.RFC3339, ...)`: upper-case `T` and `Z` only, seconds up
 * to 59, an optional `.` fraction. That is a subset of the CloudEvents Timestamp (which also allows lower case
 * and leap second 60), so the value can be kept as the event's `time` unchanged.
 */
function isLegacyTime(value: string): boolean {
  return isTimestamp(value) && value[10] === 'T' && !value.endsWith('z') && Number(value.slice(17, 19)) < 60;
}

const ATTRIBUTE_FIELDS: Readonly<Record<string, LegacyField>> = {
  id: 'event-id',
  type: 'event-type',
  time: 'event-time',
  [EVENT_TYPE_VERSION_EXTENSION]: 'event-type-version',
};

/**
 * The CloudEvent of a validated legacy request (ARCHITECTURE 2.3): `type` = event-type, `source` = the
 * application, `id` = event-id or `newId()`, `time` = event-time, extension `eventtypeversion`, and the `data`
 * JSON as the data with datacontenttype application/json. A value that the CloudEvents rules refuse (e.g. a
 * control character in event-type) is reported as an invalid legacy field.
 */
export function legacyToCloudEvent(
  request: LegacyPublishRequest,
  application: string,
  newId: () => string,
): CloudEvent {
  try {
    const event = withAttributes(
      { attributes: {} },
      {
        specversion: '1.0',
        id: request.eventId ?? newId(),
        source: application,
        type: request.eventType,
        time: request.eventTime,
        datacontenttype: LEGACY_DATA_CONTENT_TYPE,
        [EVENT_TYPE_VERSION_EXTENSION]: request.eventTypeVersion,
      },
    );
    const withData: CloudEvent = { ...event, data: new TextEncoder().encode(request.data) };
    validateEvent(withData);
    return withData;
  } catch (error) {
    const field = isMeshError(error) ? ATTRIBUTE_FIELDS[error.details.attribute ?? ''] : undefined;
    if (field === undefined) throw error;
    throw legacyFieldError(field, 'invalid_field', error instanceof Error ? error.message : String(error));
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
