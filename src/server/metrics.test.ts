import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPromMetrics } from './metrics.js';

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

  const sample = { namespace: 'ns', broker: 'b', trigger: 't', eventType: 'e', filterType: 'any' };
  metrics.deliveryAttempt({ ...sample, status: 202, durationMs: 4 });
  metrics.deliveryAttempt({ ...sample, status: 202, durationMs: 40 });
  metrics.deliveryAttempt({ ...sample, status: 'timeout', durationMs: 1000 });
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
});
