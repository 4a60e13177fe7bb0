/**
 * Retry with backoff: a retryable failure is naked with the policy's wait (Knative `retry`, `backoffPolicy`,
 * `backoffDelay`, `retryAfterMax`), so the queue hands it out again when due and no slot is held meanwhile.
 * When no attempt is left, the delivery goes on unsettled for the dead-letter step.
 */
import { nextAttemptDelayMs } from '../../../core/delivery/index.js';
import type { Step } from '../pipeline.js';

export function retryStep(now: () => number = Date.now): Step {
  return (next) => async (attempt) => {
    const delivery = await next(attempt);
    if (delivery.verdict !== 'retry' || delivery.settlement !== undefined) return delivery;
    const { trigger, lease } = attempt;
    const delay = nextAttemptDelayMs(trigger.policy, lease.attempt, delivery.outcome.result, now());
    if (delay === undefined) return delivery;
    await lease.nak(delay);
    delivery.settlement = 'retrying';
    delivery.retryInMs = delay;
    return delivery;
  };
}
