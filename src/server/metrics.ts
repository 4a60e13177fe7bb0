/** Prometheus metrics for the data plane (served at /metrics on the admin port). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayMetrics } from '../dataplane/gateway/metrics.js';
import type { MeshMetrics } from '../dataplane/metrics.js';
import type { FunctionMetrics } from '../functions/host/balancer.js';

export interface PromMetrics extends MeshMetrics {
  readonly registry: Registry;
}

export function createPromMetrics(): PromMetrics {
  const registry = new Registry();
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
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
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
    eventsAccepted: (namespace, broker, count) => accepted.inc({ namespace, broker }, count),
    eventsRejected: (code) => rejected.inc({ code }),
    deliveryAttempt: (namespace, trigger, status, durationMs) =>
      attempts.observe({ namespace, trigger, status }, durationMs / 1000),
    deliveryOutcome: (namespace, trigger, outcome) => outcomes.inc({ namespace, trigger, outcome }),
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
