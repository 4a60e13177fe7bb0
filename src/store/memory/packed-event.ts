/**
 * An event as one byte string, for the memory backend's replay window: once nothing waits to deliver an
 * event, the last 10,000 of a broker are kept for replay only, and kept as objects they would each outlive
 * two young-generation collections and be copied twice on the way to V8's old generation (the main cost
 * behind the latency tail at a steady rate, BENCHMARKS.md "S2"). Packed, an event is one Uint8Array whose
 * bytes sit outside the JS heap.
 *
 * Layout: the attributes as JSON (UTF-8) after their 4-byte length, then the data, if any, after a 1 byte
 * marker. JSON keeps every attribute value exactly: strings, int32 numbers and booleans.
 */
import { plainBytes } from '../../core/cloudevents/base64.js';
import type { Attributes, CloudEvent } from '../../core/cloudevents/model.js';

const NO_DATA = 0;
const HAS_DATA = 1;

export function packEvent(event: CloudEvent): Uint8Array {
  const json = JSON.stringify(event.attributes);
  const jsonBytes = Buffer.byteLength(json);
  const data = event.data;
  const packed = Buffer.allocUnsafe(4 + jsonBytes + 1 + (data?.byteLength ?? 0));
  packed.writeUInt32LE(jsonBytes, 0);
  packed.write(json, 4, 'utf8');
  packed[4 + jsonBytes] = data === undefined ? NO_DATA : HAS_DATA;
  if (data !== undefined) packed.set(data, 5 + jsonBytes);
  return plainBytes(packed);
}

export function unpackEvent(packed: Uint8Array): CloudEvent {
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const jsonBytes = bytes.readUInt32LE(0);
  const attributes = JSON.parse(bytes.toString('utf8', 4, 4 + jsonBytes)) as Attributes;
  if (bytes[4 + jsonBytes] === NO_DATA) return { attributes };
  return { attributes, data: packed.subarray(5 + jsonBytes) };
}
