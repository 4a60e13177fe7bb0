/**
 * The broker and trigger metrics of Knative Eventing 1.17, by name, labels and unit, so that dashboards and
 * alerts written for Knative's multi-tenant broker read cemesh unchanged (docs/observability.md):
 *
 * - `mt_broker_ingress_event_count` and `mt_broker_ingress_event_dispatch_latencies` (ms): every event
 *   broker ingress answered, by namespace_name, broker_name, event_type, response_code, response_code_class;
 * - `mt_broker_filter_event_count` and `mt_broker_filter_event_dispatch_latencies` (ms): every delivery
 *   attempt, with trigger_name and filter_type besides (and event_type, which Knative 1.17 leaves out here).
 *
 * Both carry Knative's `unique_name` (the pod there, the host here) and `container_name`. Event types pass
 * through a LabelCap. Children are cached per label tuple: prom-client hashes the label object on every call.
 */
import { hostname } from 'node:os';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AttemptSample } from '../dataplane/metrics.js';
import type { LabelCap } from './label-cap.js';

/** Knative's dispatch latency buckets: 1, 2, 5 ... 10,000 ms. */
const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

interface Child {
  readonly count: ReturnType<Counter['labels']>;
  readonly latency: ReturnType<Histogram['labels']>;
}

export interface KnativeMetrics {
  ingressEvent(
    namespace: string,
    broker: string,
    eventType: string,
    status: number,
    durationMs: number,
  ): void;
  filterAttempt(sample: AttemptSample): void;
}

export function createKnativeMetrics(registry: Registry, eventTypes: LabelCap): KnativeMetrics {
  const unique = hostname();
  const ingressLabels = [
    'namespace_name',
    'broker_name',
    'event_type',
    'response_code',
    'response_code_class',
    'unique_name',
    'container_name',
  ];
  const ingressCount = new Counter({
    name: 'mt_broker_ingress_event_count',
    help: 'Number of events received by a Broker',
    labelNames: ingressLabels,
    registers: [registry],
  });
  const ingressLatency = new Histogram({
    name: 'mt_broker_ingress_event_dispatch_latencies',
    help: 'The time spent storing an event (dispatching it to its channel), in milliseconds',
    labelNames: ingressLabels,
    buckets: BUCKETS_MS,
    registers: [registry],
  });
  const filterLabels = [...ingressLabels, 'trigger_name', 'filter_type'];
  const filterCount = new Counter({
    name: 'mt_broker_filter_event_count',
    help: 'Number of events dispatched to a Trigger subscriber',
    labelNames: filterLabels,
    registers: [registry],
  });
  const filterLatency = new Histogram({
    name: 'mt_broker_filter_event_dispatch_latencies',
    help: 'The time spent dispatching an event to a Trigger subscriber, in milliseconds',
    labelNames: filterLabels,
    buckets: BUCKETS_MS,
    registers: [registry],
  });
  const children = new Map<string, Child>();
  const child = (key: string, labels: () => Record<string, string>, filter: boolean): Child => {
    let found = children.get(key);
    if (found === undefined) {
      const values = labels();
      found = filter
        ? { count: filterCount.labels(values), latency: filterLatency.labels(values) }
        : { count: ingressCount.labels(values), latency: ingressLatency.labels(values) };
      children.set(key, found);
    }
    return found;
  };

  return {
    ingressEvent(namespace, broker, eventType, status, durationMs) {
      const type = eventTypes.value(eventType);
      const c = child(
        `i\0${namespace}\0${broker}\0${type}\0${status}`,
        () => ({
          namespace_name: namespace,
          broker_name: broker,
          event_type: type,
          response_code: String(status),
          response_code_class: codeClass(status),
          unique_name: unique,
          container_name: 'ingress',
        }),
        false,
      );
      c.count.inc();
      c.latency.observe(durationMs);
    },
    filterAttempt(sample) {
      const type = eventTypes.value(sample.eventType);
      const c = child(
        `f\0${sample.namespace}\0${sample.broker}\0${sample.trigger}\0${type}\0${sample.status}\0${sample.filterType}`,
        () => ({
          namespace_name: sample.namespace,
          broker_name: sample.broker,
          trigger_name: sample.trigger,
          filter_type: sample.filterType,
          event_type: type,
          response_code: String(sample.status),
          response_code_class: codeClass(sample.status),
          unique_name: unique,
          container_name: 'filter',
        }),
        true,
      );
      c.count.inc();
      c.latency.observe(sample.durationMs);
    },
  };
}

/** `2xx`, `4xx`, ...; `none` when no response came back (a timeout or a network error). */
export function codeClass(status: number | string): string {
  return typeof status === 'number' ? `${Math.floor(status / 100)}xx` : 'none';
}
