/**
 * The attributes and data a Kyma function sees (`event['ce-type']`, `event.data`, ...), decoded from one HTTP
 * request. Pure: headers and body in, plain values out. Runs inside the function's child process, so it
 * imports nothing but its siblings (the child may read only the runtime's own folder).
 *
 * Kyma's Node.js runtime (kyma-project/serverless, components/runtimes/nodejs*) decodes the body with
 * express' body parsers (JSON for `application/json` and `application/cloudevents+json`, text for `text/*`,
 * URL-encoded forms, raw bytes otherwise) and exposes each CloudEvent attribute as `ce-<name>`. cemesh does
 * the same for every attribute, extensions included, in both binary and structured mode (CloudEvents HTTP
 * binding 3.1 and 3.2).
 */

export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The data-carrying fields of the Kyma event object: `ce-*` attributes and `data`. */
export type EventFields = Record<string, unknown>;

const STRUCTURED = 'application/cloudevents+json';

export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

/** The body as Kyma's body parsers would give it to the function. */
export function decodeBody(contentType: string | undefined, body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const type = mediaType(contentType);
  if (isJsonType(type)) {
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      return body.toString('utf8');
    }
  }
  if (type.startsWith('text/')) return body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }
  return body;
}

/** Binary-mode header values are percent-encoded (HTTP binding 3.1.3.2); a malformed escape stays as sent. */
function decodeHeader(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The Kyma event fields of a request: a CloudEvent (structured, or binary with `ce-type` and `ce-source`) gives
 * `ce-<attribute>` for every attribute and its `data`; any other request gives only `data`.
 */
export function eventFields(headers: Headers, body: Buffer): EventFields {
  const contentType = headerValue(headers, 'content-type');
  if (mediaType(contentType) === STRUCTURED) return structuredFields(body);
  if (headerValue(headers, 'ce-type') === undefined || headerValue(headers, 'ce-source') === undefined) {
    return { data: decodeBody(contentType, body) };
  }
  const fields: EventFields = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue;
    fields[name] = decodeHeader(typeof value === 'string' ? value : value.join(','));
  }
  if (contentType !== undefined) fields['ce-datacontenttype'] = contentType;
  fields['data'] = decodeBody(contentType, body);
  return fields;
}

function structuredFields(body: Buffer): EventFields {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    return { data: body.toString('utf8') };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return { data: envelope };
  const fields: EventFields = {};
  for (const [name, value] of Object.entries(envelope as Record<string, unknown>)) {
    if (name === 'data' || name === 'data_base64') continue;
    fields[`ce-${name}`] = value;
  }
  const { data, data_base64: base64 } = envelope as { data?: unknown; data_base64?: unknown };
  fields['data'] = typeof base64 === 'string' ? Buffer.from(base64, 'base64') : data;
  return fields;
}
