/**
 * The benchmark event: 1 KiB of JSON data in binary content mode, its send time in an extension so the
 * subscriber can compute end-to-end latency without parsing the body.
 */

/** Extension carrying the sender's clock (epoch ms, fractional) when the request was issued. */
export const SENT_HEADER = 'ce-benchsent';

export const EVENT_BYTES = 1024;

/**
 * Wall-clock epoch ms with sub-ms resolution. Every bench process derives it the same way (the system clock
 * at process start plus a monotonic offset), so times taken in two processes on one machine can be
 * subtracted; Date.now() alone would round every latency to whole milliseconds.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** A JSON object of exactly `EVENT_BYTES` bytes. */
export function eventBody(): Buffer {
  const head = '{"order":{"id":"A-1000","customer":"bench","items":[1,2,3]},"pad":"';
  const tail = '"}';
  const pad = 'x'.repeat(EVENT_BYTES - head.length - tail.length);
  const body = Buffer.from(head + pad + tail);
  if (body.length !== EVENT_BYTES) throw new Error(`event body is ${body.length} bytes`);
  return body;
}

/** The `type` of event `n` when events are spread over `types` distinct types (one type: `bench.event`). */
export function eventType(n: number, types: number): string {
  return types <= 1 ? 'bench.event' : `bench.type.${n % types}`;
}

/** Binary-mode headers of event `n` (HTTP binding 3.1). */
export function eventHeaders(
  idPrefix: string,
  n: number,
  type: string,
  sentAt: number,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-id': `${idPrefix}-${n}`,
    'ce-source': '/bench/loadgen',
    'ce-type': type,
    [SENT_HEADER]: sentAt.toFixed(3),
  };
}
