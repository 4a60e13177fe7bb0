/**
 * Metrics: each attempt with its status and duration (Knative's broker filter metrics), scheduled retries,
 * moves to the dead-letter queue, and every final outcome.
 */
import type { MeshMetrics } from '../../metrics.js';
import type { Observer } from '../pipeline.js';

export function metricsObserver(metrics: MeshMetrics): Observer {
  return (attempt, delivery) => {
    const { trigger, lease } = attempt;
    const { result, durationMs } = delivery.outcome;
    metrics.deliveryAttempt(
      trigger,
      String(lease.event.attributes['type']),
      result.kind === 'response' ? result.status : result.kind,
      durationMs,
    );
    const { settlement } = delivery;
    if (settlement === 'retrying') metrics.retryScheduled(trigger.namespace, trigger.name);
    else if (settlement === 'moved-to-dead-letter') metrics.deadLettered(trigger.namespace, trigger.name);
    else if (settlement !== undefined) metrics.deliveryOutcome(trigger.namespace, trigger.name, settlement);
  };
}
