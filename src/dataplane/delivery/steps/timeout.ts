/**
 * Bounds the attempt by the trigger's `delivery.timeout` (Knative DeliverySpec), connection wait included.
 * The step sets the bound; the Sender's dispatch handler holds the one timer that enforces it, because an
 * AbortSignal per attempt cost about 5% of the mesh's CPU under load (docs/decisions/performance-hot-path.md).
 */
import type { Step } from '../pipeline.js';

export const timeoutStep: Step = (next) => (attempt) => {
  attempt.timeoutMs = attempt.trigger.policy.timeoutMs;
  return next(attempt);
};
