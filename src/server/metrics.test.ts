import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { createFunctionMetrics, createGatewayMetrics, createPromMetrics } from './metrics.js';

async function valuesOf(
  metrics: ReturnType<typeof createPromMetrics>,
  name: string,
): Promise<{ labels: object; value: number }[]> {
  const metric = metrics.registry.getSingleMetric(name);
  assert.ok(metric, name);
  return (await metric.get()).values.map(({ labels, value }) => ({ labels, value }));
}

test('per-event metrics count each label tuple apart', async () => {
  const metrics = createPromMetrics();
  metrics.eventsAccepted('ns', 'a', 2);
  metrics.eventsAccepted('ns', 'a', 3);
  metrics.eventsAccepted('ns', 'b', 1);
  metrics.eventsAccepted('n', 's\u0000a', 7);
  assert.deepEqual(await valuesOf(metrics, 'cemesh_events_accepted_total'), [
    { labels: { namespace: 'ns', broker: 'a' }, value: 5 },
    { labels: { namespace: 'ns', broker: 'b' }, value: 1 },
    { labels: { namespace: 'n', broker: 's\u0000a' }, value: 7 },
  ]);

  metrics.deliveryOutcome('ns', 't', 'delivered');
  metrics.deliveryOutcome('ns', 't', 'delivered');
  metrics.deliveryOutcome('ns', 't', 'undeliverable');
  assert.deepEqual(await valuesOf(metrics, 'cemesh_deliveries_total'), [
    { labels: { namespace: 'ns', trigger: 't', outcome: 'delivered' }, value: 2 },
    { labels: { namespace: 'ns', trigger: 't', outcome: 'undeliverable' }, value: 1 },
  ]);

  const trigger = { namespace: 'ns', name: 't', broker: { name: 'b' }, filterType: 'any' };
  metrics.deliveryAttempt(trigger, 'e', 202, 4);
  metrics.deliveryAttempt(trigger, 'e', 202, 40);
  metrics.deliveryAttempt(trigger, 'e', 'timeout', 1000);
  const text = await metrics.registry.getSingleMetricAsString('cemesh_delivery_attempt_seconds');
  assert.match(text, /cemesh_delivery_attempt_seconds_count\{namespace="ns",trigger="t",status="202"\} 2/);
  assert.match(
    text,
    /cemesh_delivery_attempt_seconds_count\{namespace="ns",trigger="t",status="timeout"\} 1/,
  );
  assert.match(text, /cemesh_delivery_attempt_seconds_sum\{namespace="ns",trigger="t",status="202"\} 0.044/);
});

test('event types past the cap fold into _other in the Knative metrics', async () => {
  const metrics = createPromMetrics({ maxEventTypes: 2 });
  for (const type of ['a', 'b', 'c', 'd', 'a']) metrics.ingressEvent('ns', 'br', type, 202, 1);
  const types = (await valuesOf(metrics, 'mt_broker_ingress_event_count')).map((v) => [
    (v.labels as Record<string, string>)['event_type'],
    v.value,
  ]);
  assert.deepEqual(types, [
    ['a', 2],
    ['b', 1],
    ['_other', 2],
  ]);

  const trigger = { namespace: 'ns', name: 't', broker: { name: 'br' }, filterType: 'any' };
  for (let i = 0; i < 50; i++) metrics.deliveryAttempt(trigger, `id-${i}`, 202, 1);
  const attempted = (await valuesOf(metrics, 'mt_broker_filter_event_count')).map((v) => [
    (v.labels as Record<string, string>)['event_type'],
    v.value,
  ]);
  // a and b took the two places; every id folds into one series.
  assert.deepEqual(attempted, [['_other', 50]]);
});

test('an attempt is exposed as it always was: label order, buckets, sums and counts, line for line', async () => {
  const metrics = createPromMetrics();
  const trigger = { namespace: 'ns', name: 't', broker: { name: 'b' }, filterType: 'order' };
  metrics.deliveryAttempt(trigger, 'order', 202, 4);
  metrics.deliveryAttempt(trigger, 'order', 'network-error', 45_000);
  metrics.deliveryAttempt(trigger, 'order', 202, 10);
  const filter = (code: string, codeClass: string): string =>
    `namespace_name="ns",broker_name="b",trigger_name="t",filter_type="order",event_type="order",` +
    `response_code="${code}",response_code_class="${codeClass}",unique_name="${hostname()}",container_name="filter"`;
  assert.equal(
    await metrics.registry.getSingleMetricAsString('mt_broker_filter_event_count'),
    [
      '# HELP mt_broker_filter_event_count Number of events dispatched to a Trigger subscriber',
      '# TYPE mt_broker_filter_event_count counter',
      `mt_broker_filter_event_count{${filter('202', '2xx')}} 2`,
      `mt_broker_filter_event_count{${filter('network-error', 'none')}} 1`,
    ].join('\n'),
  );
  const latency = await metrics.registry.getSingleMetricAsString('mt_broker_filter_event_dispatch_latencies');
  const bounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
  const histogram = (labels: string, counts: number[], sum: number): string[] => [
    ...bounds.map(
      (le, i) => `mt_broker_filter_event_dispatch_latencies_bucket{le="${le}",${labels}} ${counts[i]}`,
    ),
    `mt_broker_filter_event_dispatch_latencies_bucket{le="+Inf",${labels}} ${counts.at(-1)}`,
    `mt_broker_filter_event_dispatch_latencies_sum{${labels}} ${sum}`,
    `mt_broker_filter_event_dispatch_latencies_count{${labels}} ${counts.at(-1)}`,
  ];
  assert.equal(
    latency,
    [
      '# HELP mt_broker_filter_event_dispatch_latencies The time spent dispatching an event to a Trigger subscriber, in milliseconds',
      '# TYPE mt_broker_filter_event_dispatch_latencies histogram',
      ...histogram(filter('202', '2xx'), [0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 14),
      // Above the last bound: only in +Inf.
      ...histogram(filter('network-error', 'none'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 45000),
    ].join('\n'),
  );
  assert.match(
    await metrics.registry.getSingleMetricAsString('cemesh_delivery_attempt_seconds'),
    /cemesh_delivery_attempt_seconds_bucket\{le="0.005",namespace="ns",trigger="t",status="202"\} 1\n/,
  );
});

test('per-function and per-application counters keep their series apart', async () => {
  const metrics = createPromMetrics();
  const functions = createFunctionMetrics(metrics.registry);
  functions.call('ns', 'f', 'success', 5);
  functions.call('ns', 'f', 'failure', 7);
  functions.call('ns', 'g', 'success', 1);
  assert.deepEqual(await valuesOf(metrics, 'cemesh_function_calls_total'), [
    { labels: { namespace: 'ns', function: 'f' }, value: 2 },
    { labels: { namespace: 'ns', function: 'g' }, value: 1 },
  ]);
  assert.deepEqual(await valuesOf(metrics, 'cemesh_function_failures_total'), [
    { labels: { namespace: 'ns', function: 'f' }, value: 1 },
  ]);
  const gateway = createGatewayMetrics(metrics.registry);
  gateway.accepted('app');
  gateway.rejected('app', 'no_namespace');
  gateway.rejected('app', 'no_namespace');
  assert.deepEqual(await valuesOf(metrics, 'cemesh_gateway_events_rejected_total'), [
    { labels: { application: 'app', reason: 'no_namespace' }, value: 2 },
  ]);
});
