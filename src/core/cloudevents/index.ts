/** The CloudEvents 1.0 model and HTTP binding codec (see docs/cloudevents.md). Pure: no I/O. */
export * from './model.js';
export { CONTEXT_ATTRIBUTES, REQUIRED_ATTRIBUTES, isAttributeName, isExtension } from './attributes.js';
export type { AttributeType } from './attributes.js';
export { decodeBinary, encodeBinary } from './binary.js';
export type { HttpHeaders } from './binary.js';
export { withAttributes } from './event.js';
export { ArrivalClock } from './arrival-clock.js';
export { decodeHttpRequest, looksLikeCloudEvent } from './http.js';
export type { DecodedRequest, EventMode } from './http.js';
export { encodeHeaderValue, decodeHeaderValue } from './header-value.js';
export { dataForm, fromStructuredJson, structuredJsonText, toStructuredJson } from './json-format.js';
export type { DataForm } from './json-format.js';
export { isJsonMediaType, isMediaType, isTextMediaType, mediaEssence } from './media-type.js';
export {
  BATCH_CONTENT_TYPE,
  STRUCTURED_CONTENT_TYPE,
  decodeBatchBody,
  decodeStructuredBody,
  encodeBatch,
  encodeStructured,
} from './structured.js';
export { isTimestamp } from './timestamp.js';
export { isUri, isUriReference } from './uri.js';
export { checkAttributeName, validateAttribute, validateEvent } from './validate.js';
