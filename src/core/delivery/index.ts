/** Delivery policy as pure functions: spec validation, defaults, outcome classification, backoff, dead letters. */
export type { DestinationSpec } from './destination.js';
export { validateDestination } from './destination.js';
export type { DeliverySpec } from './spec.js';
export { validateDeliverySpec } from './spec.js';
export type { DeliveryPolicy } from './policy.js';
export { compileDeliveryPolicy, DEFAULT_DELIVERY } from './policy.js';
export { parseIsoDuration } from './duration.js';
export type { AttemptResult, Classification } from './classify.js';
export { classifyAttempt } from './classify.js';
export { backoffMs, nextAttemptDelayMs, MAX_DELAY_MS } from './backoff.js';
export { retryAfterMs } from './retry-after.js';
export { deadLetterExtensions } from './dead-letter.js';
export type { DeadLetterExtensions } from './dead-letter.js';
