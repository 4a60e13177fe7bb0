/**
 * Binary content mode (HTTP binding 3.1): attributes in `ce-` headers, `datacontenttype` in Content-Type,
 * data as the body, untouched.
 */
import { plainBytes } from './base64.js';
import { invalidAttribute } from './event-errors.js';
import { decodeHeaderValue, encodeHeaderValue } from './header-value.js';
import { intern, REPEATING_ATTRIBUTES } from './intern.js';
import type { AttributeValue, CloudEvent } from './model.js';
import { checkAttributeName, validateEvent } from './validate.js';

export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** True when a header name starts with `ce-` in any letter case (RFC 7230: header names are case-insensitive). */
function isCeHeader(name: string): boolean {
  return (
    name.length > 2 &&
    (name.charCodeAt(0) | 0x20) === 0x63 &&
    (name.charCodeAt(1) | 0x20) === 0x65 &&
    name.charCodeAt(2) === 0x2d
  );
}

/**
 * HTTP binding 3.1.3: each attribute maps to one distinct header. A header given several times (an array, as
 * some HTTP stacks deliver repeated fields) is rejected rather than joined: joining with ", " would change
 * the value. A single-element array is one value.
 */
function singleValue(value: string | readonly string[], attribute: string): string {
  if (typeof value === 'string') return value;
  if (value.length === 1) return value[0] ?? '';
  throw invalidAttribute(
    attribute,
    'single-header',
    `the header is repeated ${value.length} times; each attribute maps to exactly one header (HTTP binding 3.1.3)`,
  );
}

/** Decodes and validates a binary-mode request. `body` becomes `data` as is (an empty body means no data). */
export function decodeBinary(headers: HttpHeaders, body: Uint8Array): CloudEvent {
  const attributes: Record<string, AttributeValue> = {};
  let contentType: string | undefined;
  for (const key of Object.keys(headers)) {
    const raw = headers[key];
    if (raw === undefined) continue;
    if (isCeHeader(key)) {
      const name = key.slice(3).toLowerCase();
      checkAttributeName(name);
      if (name === 'datacontenttype') {
        // 3.1.1: a ce-datacontenttype header MUST NOT be present; Content-Type carries the attribute.
        throw invalidAttribute(
          name,
          'binding',
          'binary mode carries datacontenttype in Content-Type; a ce-datacontenttype header must not be present (HTTP binding 3.1.1)',
        );
      }
      if (Object.hasOwn(attributes, name)) {
        throw invalidAttribute(
          name,
          'single-header',
          'the attribute is given by more than one header (HTTP binding 3.1.3)',
        );
      }
      const value = decodeHeaderValue(singleValue(raw, name), name);
      attributes[name] = REPEATING_ATTRIBUTES.has(name) ? intern(value) : value;
    } else if (key.length === 12 && key.toLowerCase() === 'content-type') {
      contentType = singleValue(raw, 'datacontenttype');
    }
  }
  // 3.1.1: Content-Type is datacontenttype. It is a media type, not percent-encoded. An empty header is absent.
  if (contentType !== undefined && contentType.length > 0) attributes.datacontenttype = intern(contentType);
  const event: CloudEvent = body.byteLength === 0 ? { attributes } : { attributes, data: plainBytes(body) };
  validateEvent(event);
  return event;
}

/**
 * Encodes an event (assumed valid) for binary mode: every attribute but datacontenttype as a percent-encoded
 * `ce-` header, datacontenttype as Content-Type, data as the body. No Content-Type is invented when the event
 * has none (see docs/cloudevents.md).
 */
export function encodeBinary(event: CloudEvent): {
  headers: Record<string, string>;
  body: Uint8Array | undefined;
} {
  const headers: Record<string, string> = {};
  const attributes = event.attributes;
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (value === undefined) continue;
    if (name === 'datacontenttype') headers['content-type'] = String(value);
    else headers['ce-' + name] = typeof value === 'string' ? encodeHeaderValue(value) : String(value);
  }
  return { headers, body: event.data };
}
