/** Tail: each delivery's outcome shown to the broker's tail viewers that asked for outcomes (`cemesh tail`). */
import type { TailOutcome } from '../../tail.js';
import { resultText, type Observer, type Settlement } from '../pipeline.js';

/** A success from the dead-letter queue is the sink's delivery: `delivered`, to the `dead-letter` target. */
const shown: Readonly<Record<Settlement, TailOutcome['outcome']>> = {
  delivered: 'delivered',
  retrying: 'retrying',
  'moved-to-dead-letter': 'dead-lettered',
  'dead-lettered': 'delivered',
  undeliverable: 'undeliverable',
};

export const tailObserver: Observer = (attempt, delivery) => {
  const { tail } = attempt.trigger.broker;
  if (!tail.active || delivery.settlement === undefined) return;
  tail.publishOutcome(attempt.lease.event, {
    trigger: attempt.trigger.name,
    outcome: shown[delivery.settlement],
    attempt: attempt.lease.attempt,
    target: attempt.target,
    result: resultText(delivery.outcome),
  });
};
