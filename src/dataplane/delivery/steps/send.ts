/** The innermost step: one HTTP attempt through the Sender, classified by the pure retry rules. */
import { withAttributes } from '../../../core/cloudevents/index.js';
import { classifyAttempt } from '../../../core/delivery/index.js';
import type { Attempt, Delivery, Send } from '../pipeline.js';
import type { Sender, SendOutcome } from '../sender.js';

export function sendThrough(sender: Sender): Send {
  const classify = (outcome: SendOutcome): Delivery => ({
    outcome,
    verdict: classifyAttempt(outcome.result),
    settlement: undefined,
    retryInMs: undefined,
  });
  return (attempt: Attempt) =>
    sender
      .send(attempt.destination, eventFor(attempt), {
        timeoutMs: attempt.timeoutMs,
        format: attempt.trigger.policy.format,
        headers: attempt.headers,
      })
      .then(classify);
}

/** The stored event, with the type its subscriber is to see (Kyma's clean type); dead letters keep theirs. */
function eventFor({ trigger, target, lease }: Attempt): Attempt['lease']['event'] {
  const type = trigger.deliveredType;
  return type === undefined || target !== 'subscriber' ? lease.event : withAttributes(lease.event, { type });
}
