/**
 * The HTTP protocol binding entry points: choose the content mode from Content-Type (HTTP binding 3) and
 * decode the request into validated events. Pure: headers and body in, events out.
 */
import { MeshError } from '../errors.js';
import type { HttpHeaders } from './binary.js';
import { decodeBinary } from './binary.js';
import { charsetOf, isUtf8Charset, mediaEssence } from './media-type.js';
import type { CloudEvent } from './model.js';
import { decodeBatchBody, decodeStructuredBody } from './structured.js';

export type { HttpHeaders } from './binary.js';
export type EventMode = 'binary' | 'structured' | 'batch';

export interface DecodedRequest {
  readonly mode: EventMode;
  readonly events: CloudEvent[];
}

const CE_MEDIA_PREFIX = 'application/cloudevents';
const CE_JSON = 'application/cloudevents+json';
const CE_BATCH_JSON = 'application/cloudevents-batch+json';

function headerText(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0];
}

/** Content-Type, looked up by its lower-case name first (node:http) and case-insensitively otherwise. */
function contentTypeOf(headers: HttpHeaders): string | undefined {
  const direct = headers['content-type'];
  if (direct !== undefined) return headerText(direct);
  for (const key of Object.keys(headers)) {
    if (key.length === 12 && key.toLowerCase() === 'content-type') return headerText(headers[key]);
  }
  return undefined;
}

function isCloudEventsMediaType(contentType: string | undefined): contentType is string {
  return (
    contentType !== undefined &&
    contentType.length >= CE_MEDIA_PREFIX.length &&
    contentType.slice(0, CE_MEDIA_PREFIX.length).toLowerCase() === CE_MEDIA_PREFIX
  );
}

/** True when the request claims to carry a CloudEvent: a ce-specversion header or a CloudEvents media type. */
export function looksLikeCloudEvent(headers: HttpHeaders): boolean {
  if (headers['ce-specversion'] !== undefined) return true;
  if (isCloudEventsMediaType(contentTypeOf(headers))) return true;
  for (const key of Object.keys(headers)) {
    if (key.length === 14 && headers[key] !== undefined && key.toLowerCase() === 'ce-specversion')
      return true;
  }
  return false;
}

/** JSON bodies are UTF-8 (RFC 8259 8.1); a charset parameter naming anything else cannot be read. */
function checkCharset(contentType: string): void {
  const charset = charsetOf(contentType);
  if (!isUtf8Charset(charset)) {
    throw new MeshError(
      'MESH_CONTENT_TYPE_UNSUPPORTED',
      `content type '${contentType}': charset '${charset ?? ''}' is not supported; JSON event formats are read as UTF-8`,
    );
  }
}

/**
 * HTTP binding 3: a Content-Type starting with `application/cloudevents-batch` means batched mode, one starting
 * with `application/cloudevents` structured mode, anything else binary mode. Of the event formats only JSON
 * is read; others (e.g. `application/cloudevents+avro`) are MESH_CONTENT_TYPE_UNSUPPORTED.
 */
export function decodeHttpRequest(headers: HttpHeaders, body: Uint8Array): DecodedRequest {
  const contentType = contentTypeOf(headers);
  if (!isCloudEventsMediaType(contentType)) return { mode: 'binary', events: [decodeBinary(headers, body)] };
  const essence = mediaEssence(contentType);
  if (essence === CE_JSON) {
    checkCharset(contentType);
    return { mode: 'structured', events: [decodeStructuredBody(body)] };
  }
  if (essence === CE_BATCH_JSON) {
    checkCharset(contentType);
    return { mode: 'batch', events: decodeBatchBody(body) };
  }
  throw new MeshError(
    'MESH_CONTENT_TYPE_UNSUPPORTED',
    `content type '${contentType}': cemesh reads the JSON event formats only (${CE_JSON}, ${CE_BATCH_JSON})`,
  );
}
