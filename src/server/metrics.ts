/**
 * Prometheus metrics for the data plane (served at /metrics on the admin port): Knative's broker and trigger
 * metrics (knative-metrics.ts) and cemesh's own, which say what Knative's do not (backlog, in-flight,
 * retries, dead letters, store commits). docs/observability.md lists them all.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayMetrics } from '../dataplane/gateway/metrics.js';
import type { MeshMetrics, TriggerStats } from '../dataplane/metrics.js';
import { createKnativeMetrics } from './knative-metrics.js';
import { LabelCap } from './label-cap.js';
import type { FunctionMetrics } from '../functions/host/balancer.js';

export interface PromMetrics extends MeshMetrics {
  readonly registry: Registry;
  /** Where the per-trigger gauges read their values at each scrape. */
  watchTriggers(source: () => readonly TriggerStats[]): void;
}

export interface PromMetricsOptions {
  /** Distinct event types kept as label values; later ones fold into `_other` (default 100). */
  readonly maxEventTypes?: number;
}

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createPromMetrics(options: PromMetricsOptions = {}): PromMetrics {
  const registry = new Registry();
  const knative = createKnativeMetrics(registry, new LabelCap(options.maxEventTypes ?? 100));
  collectDefaultMetrics({ register: registry, prefix: 'cemesh_process_' });
  const accepted = new Counter({
    name: 'cemesh_events_accepted_total',
    help: 'Events stored by a broker',
    labelNames: ['namespace', 'broker'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'cemesh_events_rejected_total',
    help: 'Ingress requests refused, by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  const attempts = new Histogram({
    name: 'cemesh_delivery_attempt_seconds',
    help: 'Delivery attempts, by answer (HTTP status, timeout or network-error)',
    labelNames: ['namespace', 'trigger', 'status'],
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'cemesh_delivery_retries_total',
    help: 'Failed attempts that will be tried again',
    labelNames: ['namespace', 'trigger'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'cemesh_dead_letters_total',
    help: "Events moved to a trigger's dead-letter queue after their last attempt",
    labelNames: ['namespace', 'trigger'],
    registers: [registry],
  });
  const commits = new Histogram({
    name: 'cemesh_store_commit_seconds',
    help: 'Appends to a broker store, from call to durable (embedded: fsync; jetstream: stream ack)',
    labelNames: ['backend'],
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  let triggerSource: () => readonly TriggerStats[] = () => [];
  const triggerLabels = ['namespace', 'broker', 'trigger'];
  const queueLabels = [...triggerLabels, 'queue'];
  new Gauge({
    name: 'cemesh_trigger_inflight',
    help: 'Delivery attempts under way per trigger',
    labelNames: triggerLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const t of triggerSource())
        this.set({ namespace: t.namespace, broker: t.broker, trigger: t.trigger }, t.inFlight);
    },
  });
  new Gauge({
    name: 'cemesh_trigger_backlog',
    help: 'Deliveries not finished per trigger queue (due, waiting for a retry, or under way)',
    labelNames: queueLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const t of triggerSource())
        for (const q of t.queues)
          this.set({ namespace: t.namespace, broker: t.broker, trigger: t.trigger, queue: q.queue }, q.depth);
    },
  });
  new Gauge({
    name: 'cemesh_trigger_oldest_event_age_seconds',
    help: 'Age of the oldest event not yet delivered per trigger queue (0 when none)',
    labelNames: queueLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const t of triggerSource())
        for (const q of t.queues)
          this.set(
            { namespace: t.namespace, broker: t.broker, trigger: t.trigger, queue: q.queue },
            q.oldestAgeMs / 1000,
          );
    },
  });
  const outcomes = new Counter({
    name: 'cemesh_deliveries_total',
    help: 'Finished deliveries, by outcome',
    labelNames: ['namespace', 'trigger', 'outcome'],
    registers: [registry],
  });
  const replies = new Counter({
    name: 'cemesh_replies_ingested_total',
    help: 'Reply events stored back into a broker',
    labelNames: ['namespace', 'broker'],
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'cemesh_replies_dropped_total',
    help: 'Replies not ingested: ttl (a loop ended), invalid, store',
    labelNames: ['reason'],
    registers: [registry],
  });
  const cesql = new Counter({
    name: 'cemesh_cesql_errors_total',
    help: 'CESQL filter evaluations that raised an error (counted as no match)',
    labelNames: ['namespace', 'trigger'],
    registers: [registry],
  });
  return {
    registry,
    watchTriggers: (source) => {
      triggerSource = source;
    },
    eventsAccepted: (namespace, broker, count) => accepted.inc({ namespace, broker }, count),
    eventsRejected: (code) => rejected.inc({ code }),
    ingressEvent: (namespace, broker, eventType, status, durationMs) =>
      knative.ingressEvent(namespace, broker, eventType, status, durationMs),
    deliveryAttempt: (sample) => {
      attempts.observe(
        { namespace: sample.namespace, trigger: sample.trigger, status: String(sample.status) },
        sample.durationMs / 1000,
      );
      knative.filterAttempt(sample);
    },
    deliveryOutcome: (namespace, trigger, outcome) => outcomes.inc({ namespace, trigger, outcome }),
    retryScheduled: (namespace, trigger) => retries.inc({ namespace, trigger }),
    deadLettered: (namespace, trigger) => deadLetters.inc({ namespace, trigger }),
    storeCommit: (backend, durationMs) => commits.observe({ backend }, durationMs / 1000),
    replyIngested: (namespace, broker) => replies.inc({ namespace, broker }),
    replyDropped: (reason) => dropped.inc({ reason }),
    cesqlError: (namespace, trigger) => cesql.inc({ namespace, trigger }),
  };
}

/** Per-application gateway counters on the /metrics registry. */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const accepted = new Counter({
    name: 'cemesh_gateway_events_accepted_total',
    help: 'Application events stored in at least one bound namespace',
    labelNames: ['application'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'cemesh_gateway_events_rejected_total',
    help: 'Application requests that stored nothing, by reason (error code, or no_namespace)',
    labelNames: ['application', 'reason'],
    registers: [registry],
  });
  return {
    accepted: (application) => accepted.inc({ application }),
    rejected: (application, reason) => rejected.inc({ application, reason }),
  };
}

/**
 * Per-function counters, with the names Kyma's runtime exports (function_calls_total, function_failures_total,
 * function_duration_seconds) under cemesh's prefix and labelled by function.
 */
export function createFunctionMetrics(registry: Registry): FunctionMetrics {
  const calls = new Counter({
    name: 'cemesh_function_calls_total',
    help: 'Calls of a hosted function',
    labelNames: ['namespace', 'function'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'cemesh_function_failures_total',
    help: 'Calls of a hosted function that failed (4xx/5xx answer, crash, timeout, no replica)',
    labelNames: ['namespace', 'function'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cemesh_function_duration_seconds',
    help: 'Duration of hosted function calls',
    labelNames: ['namespace', 'function'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 180],
    registers: [registry],
  });
  return {
    call(namespace, name, outcome, durationMs) {
      const labels = { namespace, function: name };
      calls.inc(labels);
      if (outcome === 'failure') failures.inc(labels);
      duration.observe(labels, durationMs / 1000);
    },
  };
}
