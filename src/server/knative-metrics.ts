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
 * through a LabelCap. Each label tuple's series are found through nested MemoMaps keyed by the label values,
 * so an event costs a few Map lookups and number updates (metric-families.ts).
 */
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { AttemptStatus, MetricTrigger } from '../dataplane/metrics.js';
import type { LabelCap } from './label-cap.js';
import { nested } from './memo-map.js';
import {
  CounterFamily,
  HistogramFamily,
  type CounterSeries,
  type HistogramSeries,
} from './metric-families.js';

/** Knative's dispatch latency buckets: 1, 2, 5 ... 10,000 ms. */
const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** The count and latency series of one label tuple. */
interface Series {
  readonly count: CounterSeries;
  readonly latency: HistogramSeries;
}

export interface KnativeMetrics {
  ingressEvent(
    namespace: string,
    broker: string,
    eventType: string,
    status: number,
    durationMs: number,
  ): void;
  filterAttempt(trigger: MetricTrigger, eventType: string, status: AttemptStatus, durationMs: number): void;
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
  const ingressCount = new CounterFamily({
    name: 'mt_broker_ingress_event_count',
    help: 'Number of events received by a Broker',
    labelNames: ingressLabels,
    registry,
  });
  const ingressLatency = new HistogramFamily({
    name: 'mt_broker_ingress_event_dispatch_latencies',
    help: 'The time spent storing an event (dispatching it to its channel), in milliseconds',
    labelNames: ingressLabels,
    buckets: BUCKETS_MS,
    registry,
  });
  // The order /metrics has always printed them in.
  const filterLabels = [
    'namespace_name',
    'broker_name',
    'trigger_name',
    'filter_type',
    'event_type',
    'response_code',
    'response_code_class',
    'unique_name',
    'container_name',
  ];
  const filterCount = new CounterFamily({
    name: 'mt_broker_filter_event_count',
    help: 'Number of events dispatched to a Trigger subscriber',
    labelNames: filterLabels,
    registry,
  });
  const filterLatency = new HistogramFamily({
    name: 'mt_broker_filter_event_dispatch_latencies',
    help: 'The time spent dispatching an event to a Trigger subscriber, in milliseconds',
    labelNames: filterLabels,
    buckets: BUCKETS_MS,
    registry,
  });

  const series = (count: CounterFamily, latency: HistogramFamily, values: readonly string[]): Series => ({
    count: count.series(values),
    latency: latency.series(values),
  });
  const ingress = nested<[string, string, string, number], Series>(4, ([namespace, broker, type, status]) =>
    series(ingressCount, ingressLatency, [
      namespace,
      broker,
      type,
      String(status),
      codeClass(status),
      unique,
      'ingress',
    ]),
  );
  const filter = nested<[string, string, string, string, string, AttemptStatus], Series>(
    6,
    ([namespace, broker, trigger, filterType, type, status]) =>
      series(filterCount, filterLatency, [
        namespace,
        broker,
        trigger,
        filterType,
        type,
        String(status),
        codeClass(status),
        unique,
        'filter',
      ]),
  );

  return {
    ingressEvent(namespace, broker, eventType, status, durationMs) {
      const found = ingress.get(namespace).get(broker).get(eventTypes.value(eventType)).get(status);
      found.count.inc();
      found.latency.observe(durationMs);
    },
    filterAttempt(trigger, eventType, status, durationMs) {
      const found = filter
        .get(trigger.namespace)
        .get(trigger.broker.name)
        .get(trigger.name)
        .get(trigger.filterType)
        .get(eventTypes.value(eventType))
        .get(status);
      found.count.inc();
      found.latency.observe(durationMs);
    },
  };
}

/** `2xx`, `4xx`, ...; `none` when no response came back (a timeout or a network error). */
export function codeClass(status: number | string): string {
  return typeof status === 'number' ? `${Math.floor(status / 100)}xx` : 'none';
}
