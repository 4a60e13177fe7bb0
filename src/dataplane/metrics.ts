/**
 * What the data plane counts. The server implements it with Prometheus metrics (src/server/metrics.ts), tests
 * with plain counters. Kept as an injected interface so the data plane does not depend on a metrics library.
 */
import type { PersistenceKind } from '../store/contracts.js';

/**
 * The trigger a delivery attempt is labelled with, as Knative's broker filter reports it
 * (docs/observability.md); a TriggerRuntime is one, so the hot path builds no sample object.
 */
export interface MetricTrigger {
  readonly namespace: string;
  readonly name: string;
  readonly broker: { readonly name: string };
  /** Knative's `filter_type`: the trigger's exact `type` filter, or `any`. */
  readonly filterType: string;
}

/** The HTTP status of an attempt, or why there was none. */
export type AttemptStatus = number | 'timeout' | 'network-error';

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
  /** One delivery attempt: the event's type, the answer, and how long it took. */
  deliveryAttempt(trigger: MetricTrigger, eventType: string, status: AttemptStatus, durationMs: number): void;
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
