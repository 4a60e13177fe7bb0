/**
 * Observers of a delivery as one step: it awaits the steps inside once, then hands the delivery to each
 * observer in turn, synchronously. Four async wrappers (a promise each per delivery) become one.
 */
import type { Observer, Step } from '../pipeline.js';

export function observeStep(observers: readonly Observer[], now: () => number = Date.now): Step {
  return (next) => async (attempt) => {
    const startedAt = now();
    const delivery = await next(attempt);
    for (const observe of observers) observe(attempt, delivery, startedAt);
    return delivery;
  };
}
