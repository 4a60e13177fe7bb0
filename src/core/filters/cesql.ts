/**
 * The `cesql` filter dialect (Knative SubscriptionsAPI, CESQL v1).
 *
 * This build has no CESQL engine yet. ARCHITECTURE section 3 says an invalid filter is rejected at admission
 * and a filter is never silently dropped, so until the engine (src/core/cesql) lands every `cesql` filter is
 * refused with a clear message instead of being ignored or matching everything.
 */
import type { CloudEvent } from '../cloudevents/model.js';

const CESQL_UNSUPPORTED_MESSAGE = 'CESQL filters are not supported yet by this build';

/** The error message for an invalid `cesql` filter value, or undefined when it is valid. */
export function validateCesqlFilter(expression: unknown): string | undefined {
  void expression;
  return CESQL_UNSUPPORTED_MESSAGE;
}

/**
 * Compiles a validated CESQL expression into a predicate; `onError` hears evaluation errors (which mean
 * "no match"). Admission rejects every expression in this build, so reaching this is a programming error.
 */
export function compileCesqlFilter(
  expression: string,
  onError?: (error: Error) => void,
): (event: CloudEvent) => boolean {
  void expression;
  void onError;
  throw new Error(CESQL_UNSUPPORTED_MESSAGE);
}
