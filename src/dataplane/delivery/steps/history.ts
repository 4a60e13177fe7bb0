/**
 * History: every attempt of a delivery, and how it ended, in the bounded delivery history the API and
 * `cemesh describe` read (looked up once per attempt by the event's source and id).
 */
import type { DeliveryHistory } from '../../history.js';
import type { Step } from '../pipeline.js';

export function historyStep(history: DeliveryHistory, now: () => number = Date.now): Step {
  return (next) => async (attempt) => {
    const { trigger, lease } = attempt;
    const { broker } = trigger;
    const record = history.delivery(
      {
        namespace: broker.namespace,
        broker: broker.name,
        source: String(lease.event.attributes['source']),
        id: String(lease.event.attributes['id']),
      },
      trigger.name,
    );
    const at = now();
    const delivery = await next(attempt);
    if (record === undefined) return delivery;
    const { result, durationMs } = delivery.outcome;
    record.attempt({
      at,
      attempt: lease.attempt,
      target: attempt.target,
      uri: attempt.destination.uri,
      ...(result.kind === 'response'
        ? { status: result.status }
        : { error: result.kind === 'timeout' ? 'timeout' : result.message }),
      durationMs,
    });
    const { settlement } = delivery;
    if (settlement === 'delivered' || settlement === 'dead-lettered' || settlement === 'undeliverable')
      record.outcome = settlement;
    return delivery;
  };
}
