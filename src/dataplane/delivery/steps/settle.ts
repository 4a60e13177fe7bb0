/**
 * Settles what no inner step settled: a success is acked, anything else ends as undeliverable (kept in the
 * history). `success` names what a success is for this queue: `delivered` for the subscriber,
 * `dead-lettered` for the dead-letter sink.
 */
import type { Settlement, Step } from '../pipeline.js';

export function settleStep(success: Extract<Settlement, 'delivered' | 'dead-lettered'>): Step {
  return (next) => async (attempt) => {
    const delivery = await next(attempt);
    if (delivery.settlement !== undefined) return delivery;
    if (delivery.verdict === 'success') {
      await attempt.lease.ack();
      delivery.settlement = success;
    } else {
      await attempt.lease.term();
      delivery.settlement = 'undeliverable';
    }
    return delivery;
  };
}
