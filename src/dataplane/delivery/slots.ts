/**
 * Deliveries in flight to one origin, counted across every delivery loop that sends there. The sender keeps
 * a fixed number of connections per origin (sender.ts); each trigger may hold up to its own max-inflight
 * (default 100). With many busy triggers sending to one origin, their windows added up to far more requests
 * than connections (S4: 100 busy triggers, up to 10,000 requests for 128 connections), and every request
 * beyond the connections waited inside the HTTP client with its whole attempt built: lease, pipeline, encoded
 * headers, timer. Those outlived young-generation collections and were promoted (about 4 KB per event, against
 * 0.7 KB with one trigger), which cost S4 a third of its throughput. Counting them per origin lets a loop
 * leave what exceeds the connections in its queue, where a waiting delivery is one small record.
 */

/** Requests in flight to one origin against the sender's connections to it. */
export class OriginSlots {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Slots left; below zero when loops overshot (see `leaseSize`). */
  get free(): number {
    return this.limit - this.used;
  }

  get inUse(): number {
    return this.used;
  }

  take(count: number): void {
    this.used += count;
  }

  give(count: number): void {
    this.used -= count;
  }
}

/**
 * How many deliveries a loop may lease now: its own free window, bounded by the origin's free slots when it
 * shares them. A loop with nothing in flight may always lease one, even when its origin is full: it then has
 * a delivery whose end wakes it again, so no loop waits for a slot only another loop's delivery could free,
 * and a busy trigger cannot shut a quiet one out of an origin they share. So the origin's count may pass
 * its limit by at most one per loop (plus what a loop that was waiting for work when the origin had room is
 * handed at once); a loop that leases nothing waits for one of its own deliveries to end.
 */
export function leaseSize(ownFree: number, originFree: number | undefined, inflight: number): number {
  if (ownFree <= 0) return 0;
  if (originFree === undefined) return ownFree;
  if (originFree > 0) return Math.min(ownFree, originFree);
  return inflight === 0 ? 1 : 0;
}
