/**
 * How long to wait before the next delivery attempt (STYLE 4). ARCHITECTURE 3 and Knative's DeliverySpec
 * docs: linear waits `backoffDelay * n`, exponential `backoffDelay * 2^n`, for retry n = 1, 2, ...
 */
import type { AttemptResult } from './classify.js';
import { classifyAttempt } from './classify.js';
import type { DeliveryPolicy } from './policy.js';
import { retryAfterMs } from './retry-after.js';

/**
 * The longest wait cemesh schedules: 2^31-1 ms (about 24.8 days), the largest delay a Node.js timer honors
 * (a larger one fires at once). Only huge retry counts with exponential backoff reach it.
 */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/** The backoff before retry number `retryNumber` (1 = the first retry), capped at MAX_DELAY_MS. */
export function backoffMs(policy: DeliveryPolicy, retryNumber: number): number {
  const n = Math.max(1, Math.floor(retryNumber));
  const factor = policy.backoffPolicy === 'linear' ? n : 2 ** n;
  return Math.min(MAX_DELAY_MS, Math.round(policy.backoffDelayMs * factor));
}

/**
 * Wait before the next attempt, or undefined when no attempt is left (attempt = 1-based number of the
 * attempt that just failed). Also undefined when the result needs no further attempt: a success, or a
 * failure that retrying cannot fix (see classify.ts).
 *
 * Retry-After on 429 and 503 is honored up to `retryAfterMax`: the wait is the larger of the backoff and the
 * capped Retry-After, so a subscriber can slow us down but never make us retry faster than the policy.
 * With `retryAfterMax` unset or PT0S, Retry-After is ignored, as in Knative, where honoring it is opt-in
 * while the feature is experimental (DeliverySpec.retryAfterMax docs, knative/eventing#5811).
 */
export function nextAttemptDelayMs(
  policy: DeliveryPolicy,
  attempt: number,
  result: AttemptResult,
  nowMs: number,
): number | undefined {
  if (classifyAttempt(result) !== 'retry') return undefined;
  // `retry` counts retries after the first attempt, so attempts 1..retry may be followed by another.
  if (attempt > policy.retry) return undefined;
  const backoff = backoffMs(policy, attempt);
  const max = policy.retryAfterMaxMs;
  if (max === undefined || max === 0) return backoff;
  if (result.kind !== 'response' || (result.status !== 429 && result.status !== 503)) return backoff;
  if (result.retryAfter === undefined) return backoff;
  const requested = retryAfterMs(result.retryAfter, nowMs);
  if (requested === undefined) return backoff;
  return Math.min(MAX_DELAY_MS, Math.max(backoff, Math.min(requested, max)));
}
