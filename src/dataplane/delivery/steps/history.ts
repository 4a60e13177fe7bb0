/**
 * History: every attempt of a delivery, and how it ended, in the broker's delivery history (its store's,
 * durable, or the bounded one in memory) that the API and `cemesh describe` read. The write is not awaited:
 * a durable history joins the store's next group commit (or publish) instead of adding one per attempt.
 */
import type { DeliveryOutcome } from '../../../store/history.js';
import type { Observer, Settlement } from '../pipeline.js';

export const historyObserver: Observer = (attempt, delivery, at) => {
  const { trigger, lease } = attempt;
  const { result, durationMs } = delivery.outcome;
  trigger.broker.history.attempt(
    { source: String(lease.event.attributes['source']), id: String(lease.event.attributes['id']) },
    trigger.name,
    {
      at,
      attempt: lease.attempt,
      target: attempt.target,
      uri: attempt.destination.uri,
      ...(result.kind === 'response'
        ? { status: result.status }
        : { error: result.kind === 'timeout' ? 'timeout' : result.message }),
      durationMs,
    },
    finalOutcome(delivery.settlement),
  );
};

/** A retry or a move to the dead-letter queue leaves the delivery pending. */
function finalOutcome(settlement: Settlement | undefined): DeliveryOutcome | undefined {
  return settlement === 'delivered' || settlement === 'dead-lettered' || settlement === 'undeliverable'
    ? settlement
    : undefined;
}
