/**
 * The memory backend's backlog bound: events that still have a delivery pending, counted per broker and in
 * total, by number and by bytes. An append that would pass a limit is refused whole (MESH_BACKLOG_FULL,
 * 503 + Retry-After at ingress) before anything is stored: refusing is the only honest answer when the
 * alternative is a 202 followed by a drop or an out-of-memory crash. Retained events that nobody waits for
 * do not count: they are bounded by `retainEvents` and dropped first.
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';

export interface BacklogLimits {
  /** Undelivered events per broker (default 100,000). */
  readonly brokerMaxEvents: number;
  /** Bytes of undelivered events per broker (default 256 MiB). */
  readonly brokerMaxBytes: number;
  /** Undelivered events in all memory brokers together (default 500,000). */
  readonly maxEvents: number;
  /** Bytes of undelivered events in all memory brokers together (default 1 GiB). */
  readonly maxBytes: number;
}

export const DEFAULT_BACKLOG_LIMITS: BacklogLimits = Object.freeze({
  brokerMaxEvents: 100_000,
  brokerMaxBytes: 256 * 1024 ** 2,
  maxEvents: 500_000,
  maxBytes: 1024 ** 3,
});

/** Events and bytes held; one per broker, one for the whole backend. */
export class BacklogCount {
  events = 0;
  bytes = 0;
}

/** Bytes an event holds in memory, roughly: its data plus its attribute names and values. */
export function eventBytes(event: CloudEvent): number {
  let bytes = 64 + (event.data?.byteLength ?? 0);
  for (const name in event.attributes) bytes += name.length + String(event.attributes[name]).length;
  return bytes;
}

/** Throws MESH_BACKLOG_FULL when adding `events`/`bytes` would pass a limit; names the limit and the broker. */
export function admit(
  limits: BacklogLimits,
  broker: BacklogCount,
  total: BacklogCount,
  brokerName: string,
  events: number,
  bytes: number,
): void {
  const over =
    broker.events + events > limits.brokerMaxEvents
      ? `broker ${brokerName} holds ${broker.events} undelivered events (limit ${limits.brokerMaxEvents})`
      : broker.bytes + bytes > limits.brokerMaxBytes
        ? `broker ${brokerName} holds ${broker.bytes} bytes of undelivered events (limit ${limits.brokerMaxBytes})`
        : total.events + events > limits.maxEvents
          ? `the memory backend holds ${total.events} undelivered events (limit ${limits.maxEvents})`
          : total.bytes + bytes > limits.maxBytes
            ? `the memory backend holds ${total.bytes} bytes of undelivered events (limit ${limits.maxBytes})`
            : undefined;
  if (over !== undefined) {
    throw new MeshError('MESH_BACKLOG_FULL', `${over}; nothing was stored: retry once subscribers catch up`);
  }
}
