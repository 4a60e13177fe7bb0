/**
 * The in-memory model of a CloudEvent, shared by the codec, filters, CESQL, stores and delivery.
 *
 * Attributes are kept in their canonical form: Integer attributes as numbers (int32), Boolean attributes as
 * booleans, every other type (String, URI, URI-reference, Timestamp, Binary as base64) as the exact string the
 * producer sent, so that what a subscriber receives is byte-identical to what was sent.
 */
export type AttributeValue = string | number | boolean;

export type Attributes = Readonly<Record<string, AttributeValue>>;

export interface CloudEvent {
  /** Every context attribute present (required, optional and extensions), by its lowercase name. */
  readonly attributes: Attributes;
  /**
   * The event's data as the bytes of a binary-mode HTTP body; `undefined` when the event has no data.
   * A structured-mode JSON `data` value is held as its JSON text; `data_base64` as the decoded bytes.
   */
  readonly data?: Uint8Array;
}

/** The CloudEvents spec version cemesh accepts (CloudEvents 1.0.x all say "1.0"). */
export const SPEC_VERSION = '1.0';

/** Extensions that cemesh itself sets (Knative data-plane contract). */
export const ARRIVAL_TIME_EXTENSION = 'knativearrivaltime';
export const TTL_EXTENSION = 'knativebrokerttl';
export const DEFAULT_TTL = 255;
