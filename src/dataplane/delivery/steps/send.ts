/** The innermost step: one HTTP attempt through the Sender, classified by the pure retry rules. */
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
      .send(attempt.destination, attempt.lease.event, {
        timeoutMs: attempt.timeoutMs,
        format: attempt.trigger.policy.format,
        headers: attempt.headers,
      })
      .then(classify);
}
