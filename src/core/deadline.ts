/**
 * A signal that aborts when `parent` does or once `ms` have passed, whichever comes first. `clear()` stops
 * the timer and drops the listener on `parent`; call it when the work is done.
 *
 * Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node holds a timeout signal only weakly, and
 * inside a composite signal it can be collected before it fires, so the deadline never comes
 * (nodejs/node#57736). A `wait --timeout 200ms` hung for minutes that way under a full test run.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  clear(): void;
}

export function deadline(parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  const onAbort = (): void => {
    clearTimeout(timer);
    controller.abort(parent.reason);
  };
  const timer = setTimeout(() => {
    parent.removeEventListener('abort', onAbort);
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, ms);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
