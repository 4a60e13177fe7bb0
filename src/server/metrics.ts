/**
 * Prometheus metrics for the data plane (served at /metrics on the admin port): Knative's broker and trigger
 * metrics (knative-metrics.ts) and cemesh's own, which say what Knative's do not (backlog, in-flight,
 * retries, dead letters, store commits). docs/observability.md lists them all. The counters and histograms
 * counted per event are metric-families.ts's, found per label tuple through nested MemoMaps.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayMetrics } from '../dataplane/gateway/metrics.js';
import type { AttemptStatus, MeshMetrics, TriggerStats } from '../dataplane/metrics.js';
import type { PersistenceKind } from '../store/contracts.js';
import { createKnativeMetrics } from './knative-metrics.js';
import { LabelCap } from './label-cap.js';
import { nested } from './memo-map.js';
import {
  CounterFamily,
  HistogramFamily,
  type CounterSeries,
  type HistogramSeries,
} from './metric-families.js';
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
  const accepted = new CounterFamily({
    name: 'cemesh_events_accepted_total',
    help: 'Events stored by a broker',
    labelNames: ['namespace', 'broker'],
    registry,
  });
  const rejected = new CounterFamily({
    name: 'cemesh_events_rejected_total',
    help: 'Ingress requests refused, by error code',
    labelNames: ['code'],
    registry,
  });
  const attempts = new HistogramFamily({
    name: 'cemesh_delivery_attempt_seconds',
    help: 'Delivery attempts, by answer (HTTP status, timeout or network-error)',
    labelNames: ['namespace', 'trigger', 'status'],
    buckets: SECONDS_BUCKETS,
    registry,
  });
  const retries = new CounterFamily({
    name: 'cemesh_delivery_retries_total',
    help: 'Failed attempts that will be tried again',
    labelNames: ['namespace', 'trigger'],
    registry,
  });
  const deadLetters = new CounterFamily({
    name: 'cemesh_dead_letters_total',
    help: "Events moved to a trigger's dead-letter queue after their last attempt",
    labelNames: ['namespace', 'trigger'],
    registry,
  });
  const commits = new HistogramFamily({
    name: 'cemesh_store_commit_seconds',
    help: 'Appends to a broker store, from call to durable (embedded: fsync; jetstream: stream ack)',
    labelNames: ['backend'],
    buckets: SECONDS_BUCKETS,
    registry,
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
  const outcomes = new CounterFamily({
    name: 'cemesh_deliveries_total',
    help: 'Finished deliveries, by outcome',
    labelNames: ['namespace', 'trigger', 'outcome'],
    registry,
  });
  const replies = new CounterFamily({
    name: 'cemesh_replies_ingested_total',
    help: 'Reply events stored back into a broker',
    labelNames: ['namespace', 'broker'],
    registry,
  });
  const dropped = new CounterFamily({
    name: 'cemesh_replies_dropped_total',
    help: 'Replies not ingested: ttl (a loop ended), invalid, store',
    labelNames: ['reason'],
    registry,
  });
  const cesql = new CounterFamily({
    name: 'cemesh_cesql_errors_total',
    help: 'CESQL filter evaluations that raised an error (counted as no match)',
    labelNames: ['namespace', 'trigger'],
    registry,
  });
  const acceptedBy = accepted.by<[string, string]>();
  const rejectedBy = rejected.by<[string]>();
  const attemptsBy = attempts.by<[string, string, AttemptStatus]>();
  const outcomesBy = outcomes.by<[string, string, string]>();
  const retriesBy = retries.by<[string, string]>();
  const deadLettersBy = deadLetters.by<[string, string]>();
  const commitsBy = commits.by<[PersistenceKind]>();
  const repliesBy = replies.by<[string, string]>();
  const droppedBy = dropped.by<[string]>();
  const cesqlBy = cesql.by<[string, string]>();
  return {
    registry,
    watchTriggers: (source) => {
      triggerSource = source;
    },
    eventsAccepted: (namespace, broker, count) => acceptedBy.get(namespace).get(broker).inc(count),
    eventsRejected: (code) => rejectedBy.get(code).inc(),
    ingressEvent: (namespace, broker, eventType, status, durationMs) =>
      knative.ingressEvent(namespace, broker, eventType, status, durationMs),
    deliveryAttempt: (trigger, eventType, status, durationMs) => {
      attemptsBy
        .get(trigger.namespace)
        .get(trigger.name)
        .get(status)
        .observe(durationMs / 1000);
      knative.filterAttempt(trigger, eventType, status, durationMs);
    },
    deliveryOutcome: (namespace, trigger, outcome) =>
      outcomesBy.get(namespace).get(trigger).get(outcome).inc(),
    retryScheduled: (namespace, trigger) => retriesBy.get(namespace).get(trigger).inc(),
    deadLettered: (namespace, trigger) => deadLettersBy.get(namespace).get(trigger).inc(),
    storeCommit: (backend, durationMs) => commitsBy.get(backend).observe(durationMs / 1000),
    replyIngested: (namespace, broker) => repliesBy.get(namespace).get(broker).inc(),
    replyDropped: (reason) => droppedBy.get(reason).inc(),
    cesqlError: (namespace, trigger) => cesqlBy.get(namespace).get(trigger).inc(),
  };
}

/** Per-application gateway counters on the /metrics registry. */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const accepted = new CounterFamily({
    name: 'cemesh_gateway_events_accepted_total',
    help: 'Application events stored in at least one bound namespace',
    labelNames: ['application'],
    registry,
  });
  const rejected = new CounterFamily({
    name: 'cemesh_gateway_events_rejected_total',
    help: 'Application requests that stored nothing, by reason (error code, or no_namespace)',
    labelNames: ['application', 'reason'],
    registry,
  });
  const acceptedBy = accepted.by<[string]>();
  const rejectedBy = rejected.by<[string, string]>();
  return {
    accepted: (application) => acceptedBy.get(application).inc(),
    rejected: (application, reason) => rejectedBy.get(application).get(reason).inc(),
  };
}

interface FunctionSeries {
  readonly calls: CounterSeries;
  readonly failures: CounterSeries;
  readonly duration: HistogramSeries;
}

/**
 * Per-function counters, with the names Kyma's runtime exports (function_calls_total, function_failures_total,
 * function_duration_seconds) under cemesh's prefix and labelled by function.
 */
export function createFunctionMetrics(registry: Registry): FunctionMetrics {
  const calls = new CounterFamily({
    name: 'cemesh_function_calls_total',
    help: 'Calls of a hosted function',
    labelNames: ['namespace', 'function'],
    registry,
  });
  const failures = new CounterFamily({
    name: 'cemesh_function_failures_total',
    help: 'Calls of a hosted function that failed (4xx/5xx answer, crash, timeout, no replica)',
    labelNames: ['namespace', 'function'],
    registry,
  });
  const duration = new HistogramFamily({
    name: 'cemesh_function_duration_seconds',
    help: 'Duration of hosted function calls',
    labelNames: ['namespace', 'function'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 180],
    registry,
  });
  const byFunction = nested<[string, string], FunctionSeries>(2, (labels) => ({
    calls: calls.series(labels),
    failures: failures.series(labels),
    duration: duration.series(labels),
  }));
  return {
    call(namespace, name, outcome, durationMs) {
      const series = byFunction.get(namespace).get(name);
      series.calls.inc();
      if (outcome === 'failure') series.failures.inc();
      series.duration.observe(durationMs / 1000);
    },
  };
}
