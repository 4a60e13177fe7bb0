/**
 * What one delivery attempt's outcome means (STYLE 4: retry policy is data). The rules are ARCHITECTURE 3,
 * which follows the Knative data-plane spec, section "Event Acknowledgement and Delivery Retry".
 */

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string }
  | { kind: 'network-error'; message: string }
  | { kind: 'timeout' };

/** `success`: delivered; `retry`: try again if attempts are left; `fail`: give up now (dead letter). */
export type Classification = 'success' | 'retry' | 'fail';

export function classifyAttempt(result: AttemptResult): Classification {
  // The subscriber may never have seen the event, or crashed while handling it: trying again is safe because
  // recipients MUST accept duplicates (data-plane spec).
  if (result.kind === 'network-error') return 'retry';
  // A timed-out attempt may succeed later, e.g. once a cold-started subscriber is up.
  if (result.kind === 'timeout') return 'retry';
  return classifyStatus(result.status);
}

export function classifyStatus(status: number): Classification {
  // Any 2xx means "delivery completed" (data-plane table: 200, 202, other 2xx).
  if (status >= 200 && status <= 299) return 'success';
  // 1xx and 3xx are reserved: senders MUST handle them as errors; the table says no retry, since the same
  // request would get the same reserved answer.
  if (status >= 100 && status <= 199) return 'fail';
  if (status >= 300 && status <= 399) return 'fail';
  switch (status) {
    // Not found: the subscriber may not be deployed yet or is being rolled out.
    case 404:
      return 'retry';
    // Request Timeout: the server gave up waiting, a transient condition.
    case 408:
      return 'retry';
    // Conflict: "processing in progress" in the data-plane table; it may succeed once that finishes.
    case 409:
      return 'retry';
    // Too Many Requests: overloaded now, not forever (Retry-After may say when to come back).
    case 429:
      return 'retry';
  }
  // Other 4xx (400 unparsable, 401, 403, 413, ...) say the event itself or our credentials are wrong: the
  // same request would fail the same way, so retrying only adds load.
  if (status >= 400 && status <= 499) return 'fail';
  // 5xx: the subscriber failed, not the event; the data-plane table says retry.
  if (status >= 500 && status <= 599) return 'retry';
  // The data-plane spec: "A response code not in this table SHOULD be treated as a retriable error."
  return 'retry';
}
