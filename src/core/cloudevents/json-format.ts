/**
 * The JSON event format (JSON format spec 1.0.2): mapping between a JSON object and the CloudEvent model,
 * including the handling of `data` and `data_base64` (section 3.1). See docs/cloudevents.md for the choices.
 */
import { decodeBase64, encodeBase64, isBase64 } from './base64.js';
import { invalidAttribute, malformedBody } from './event-errors.js';
import { charsetOf, isJsonMediaType, isTextMediaType, isUtf8Charset } from './media-type.js';
import type { AttributeValue, CloudEvent } from './model.js';
import { checkRequired, checkSpecVersion, validateAttribute } from './validate.js';

const encoder = new TextEncoder();
// Data text is decoded strictly and keeps a leading U+FEFF, so that text -> bytes is exact.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** How an event's data bytes are represented in the JSON format (section 3.1.1). */
export type DataForm =
  | { readonly kind: 'json'; readonly text: string; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'base64' };

const BASE64: DataForm = { kind: 'base64' };

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Section 3.1.1: JSON content (datacontenttype absent or `* /json`, `* /*+json`) that parses as JSON goes into
 * `data` as a JSON value; text (`text/*`, XML) that is valid UTF-8 goes into `data` as a string; everything
 * else, including text in another charset, is Binary and goes into `data_base64`, so no byte is ever lost.
 */
export function dataForm(contentType: AttributeValue | undefined, data: Uint8Array): DataForm {
  const type = typeof contentType === 'string' ? contentType : undefined;
  if (type !== undefined && !isUtf8Charset(charsetOf(type))) return BASE64;
  if (type === undefined || isJsonMediaType(type)) {
    const text = decodeUtf8(data);
    if (text === undefined) return BASE64;
    try {
      return { kind: 'json', text, value: JSON.parse(text) as unknown };
    } catch {
      return BASE64;
    }
  }
  if (isTextMediaType(type)) {
    const text = decodeUtf8(data);
    if (text !== undefined) return { kind: 'text', text };
  }
  return BASE64;
}

/** The JSON-format object of an event (attributes as members, then `data` or `data_base64`). */
export function toStructuredJson(event: CloudEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event.attributes };
  const data = event.data;
  if (data === undefined) return out;
  const form = dataForm(event.attributes.datacontenttype, data);
  if (form.kind === 'json') out.data = form.value;
  else if (form.kind === 'text') out.data = form.text;
  else out.data_base64 = encodeBase64(data);
  return out;
}

/**
 * The JSON text of an event. JSON data is copied as the producer's own text (after checking it parses), so
 * numbers beyond 2^53 and formatting survive; it equals JSON.stringify(toStructuredJson(event)) otherwise.
 */
export function structuredJsonText(event: CloudEvent): string {
  const head = JSON.stringify(event.attributes);
  const data = event.data;
  if (data === undefined) return head;
  const form = dataForm(event.attributes.datacontenttype, data);
  const member =
    form.kind === 'json'
      ? `"data":${form.text}`
      : form.kind === 'text'
        ? `"data":${JSON.stringify(form.text)}`
        : `"data_base64":"${encodeBase64(data)}"`;
  return head.length > 2 ? `${head.slice(0, -1)},${member}}` : `{${member}}`;
}

/**
 * Builds and validates an event from a parsed JSON-format object. `null` members are unset attributes
 * (section 2.2), except `data: null`, which is an explicit JSON null payload (section 3.1.1).
 */
export function fromStructuredJson(value: unknown): CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformedBody('a structured-mode event must be a JSON object (JSON format section 3)');
  }
  const members = value as Record<string, unknown>;
  checkSpecVersion(members.specversion);
  const attributes: Record<string, AttributeValue> = {};
  let hasData = false;
  let dataValue: unknown;
  let base64: string | undefined;
  for (const name of Object.keys(members)) {
    const member = members[name];
    if (member === undefined) continue;
    if (name === 'data') {
      hasData = true;
      dataValue = member;
    } else if (member === null) {
      continue;
    } else if (name === 'data_base64') {
      if (typeof member !== 'string' || !isBase64(member)) {
        throw invalidAttribute(
          name,
          'type:Binary',
          'data_base64 must be a base64 string (RFC 4648 section 4)',
        );
      }
      base64 = member;
    } else {
      validateAttribute(name, member);
      attributes[name] = member as AttributeValue;
    }
  }
  checkRequired(attributes);
  if (hasData && base64 !== undefined) {
    throw invalidAttribute(
      'data',
      'exclusive',
      "'data' and 'data_base64' must not both be present (JSON format 3.1.1)",
    );
  }
  if (base64 !== undefined) return { attributes, data: decodeBase64(base64) };
  if (!hasData) return { attributes };
  return { attributes, data: dataBytes(attributes.datacontenttype, dataValue) };
}

/**
 * Section 3.1.2: with a JSON (or absent) datacontenttype, `data` is a JSON value and its bytes are its JSON
 * text; with another type a string `data` is the content itself, so its bytes are the string's UTF-8.
 */
function dataBytes(contentType: AttributeValue | undefined, value: unknown): Uint8Array {
  if (typeof value === 'string' && typeof contentType === 'string' && !isJsonMediaType(contentType)) {
    return encoder.encode(value);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw invalidAttribute('data', 'type', 'data is not a JSON value');
  return encoder.encode(text);
}
