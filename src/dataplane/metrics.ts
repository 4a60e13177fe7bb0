/**
 * What the data plane counts. The server implements it with prom-client; tests with plain counters.
 * Kept as an injected interface so the data plane does not depend on a metrics library.
 */
export interface MeshMetrics {
  eventsAccepted(namespace: string, broker: string, count: number): void;
  eventsRejected(code: string): void;
  deliveryAttempt(namespace: string, trigger: string, status: string, durationMs: number): void;
  deliveryOutcome(
    namespace: string,
    trigger: string,
    outcome: 'delivered' | 'dead-lettered' | 'undeliverable',
  ): void;
  replyIngested(namespace: string, broker: string): void;
  /** A reply dropped because its TTL reached 0 (a loop ended) or it was not a valid CloudEvent. */
  replyDropped(reason: 'ttl' | 'invalid' | 'store' | 'too-large'): void;
  cesqlError(namespace: string, trigger: string): void;
}

export const noMetrics: MeshMetrics = {
  eventsAccepted() {},
  eventsRejected() {},
  deliveryAttempt() {},
  deliveryOutcome() {},
  replyIngested() {},
  replyDropped() {},
  cesqlError() {},
};
