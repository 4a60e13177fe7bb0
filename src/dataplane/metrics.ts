/**
 * What the data plane counts. The server implements it with prom-client; tests with plain counters.
 * Kept as an injected interface so the data plane does not depend on a metrics library.
 */
import type { PersistenceKind } from '../store/contracts.js';

/** One delivery attempt, as Knative's broker filter reports it (docs/observability.md). */
export interface AttemptSample {
  readonly namespace: string;
  readonly broker: string;
  readonly trigger: string;
  readonly eventType: string;
  /** Knative's `filter_type`: the trigger's exact `type` filter, or `any`. */
  readonly filterType: string;
  /** The HTTP status, or why there was none. */
  readonly status: number | 'timeout' | 'network-error';
  readonly durationMs: number;
}

export interface MeshMetrics {
  eventsAccepted(namespace: string, broker: string, count: number): void;
  eventsRejected(code: string): void;
  /** One event answered by broker ingress: its type, the HTTP status, and how long storing it took. */
  ingressEvent(
    namespace: string,
    broker: string,
    eventType: string,
    status: number,
    durationMs: number,
  ): void;
  deliveryAttempt(sample: AttemptSample): void;
  deliveryOutcome(
    namespace: string,
    trigger: string,
    outcome: 'delivered' | 'dead-lettered' | 'undeliverable',
  ): void;
  /** A failed attempt that will be tried again. */
  retryScheduled(namespace: string, trigger: string): void;
  /** An event moved to the trigger's dead-letter queue after its last attempt. */
  deadLettered(namespace: string, trigger: string): void;
  /** One append to a broker's store, from call to durable. */
  storeCommit(backend: PersistenceKind, durationMs: number): void;
  replyIngested(namespace: string, broker: string): void;
  /** A reply dropped because its TTL reached 0 (a loop ended) or it was not a valid CloudEvent. */
  replyDropped(reason: 'ttl' | 'invalid' | 'store' | 'too-large'): void;
  cesqlError(namespace: string, trigger: string): void;
}

/** The live state of one trigger, read when metrics are scraped. */
export interface TriggerStats {
  readonly namespace: string;
  readonly broker: string;
  readonly trigger: string;
  /** Attempts under way (subscriber and dead-letter sink). */
  readonly inFlight: number;
  /** Per queue: pending deliveries and the age of the oldest; absent when the backend cannot tell. */
  readonly queues: readonly {
    readonly queue: 'subscriber' | 'dead-letter';
    readonly depth: number;
    readonly oldestAgeMs: number;
  }[];
}

export const noMetrics: MeshMetrics = {
  eventsAccepted() {},
  eventsRejected() {},
  ingressEvent() {},
  deliveryAttempt() {},
  deliveryOutcome() {},
  retryScheduled() {},
  deadLettered() {},
  storeCommit() {},
  replyIngested() {},
  replyDropped() {},
  cesqlError() {},
};
