/** Logs: a failed attempt (with the wait before the next), a dead letter, an undeliverable event, a success. */
import type { DeliveryLog } from '../log.js';
import { resultText, type Observer } from '../pipeline.js';

export function logObserver(log: DeliveryLog): Observer {
  return (attempt, delivery) => {
    const { trigger, lease } = attempt;
    const facts = { attempt: lease.attempt, target: attempt.target, result: resultText(delivery.outcome) };
    if (delivery.verdict === 'success') {
      log.delivered(trigger, lease.event, facts);
      return;
    }
    log.failed(trigger, lease.event, facts, delivery.retryInMs);
    if (delivery.settlement === 'moved-to-dead-letter') log.deadLettered(trigger, lease.event, facts);
    else if (delivery.settlement === 'undeliverable') log.undeliverable(trigger, lease.event, facts);
  };
}
