/**
 * Abort signals that depend on others, without `AbortSignal.any`. In Node 20 a signal made by `any` is
 * remembered by each source for the source's whole life (about 60 bytes per call on a long-lived source,
 * never given back: a queue that combined its loop's signal with a per-call one on every lease grew without
 * bound), and a timeout signal inside it can be collected before it fires, so the deadline never comes
 * (nodejs/node#57736). Each signal here listens to its sources only until it aborts or is released.
 */

/** A signal of one's own that also aborts, with the same reason, when any of `sources` does. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Aborts the signal (when it has not already) and stops listening to the sources. */
  abort(reason?: unknown): void;
  /** Stops listening to the sources, leaving the signal as it is: call it when the work is done. */
  release(): void;
}

export function linkedSignal(sources: readonly AbortSignal[]): LinkedSignal {
  const controller = new AbortController();
  const release = (): void => {
    for (const source of sources) source.removeEventListener('abort', onAbort);
  };
  const abort = (reason?: unknown): void => {
    release();
    if (!controller.signal.aborted) controller.abort(reason);
  };
  function onAbort(this: AbortSignal): void {
    abort(this.reason);
  }
  const aborted = sources.find((source) => source.aborted);
  if (aborted !== undefined) controller.abort(aborted.reason);
  else for (const source of sources) source.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, abort, release };
}

/** A signal that aborts when `parent` does or once `ms` have passed; `clear()` stops the timer and listener. */
export interface Deadline {
  readonly signal: AbortSignal;
  clear(): void;
}

export function deadline(parent: AbortSignal, ms: number): Deadline {
  const linked = linkedSignal([parent]);
  const timer = setTimeout(
    () => linked.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  linked.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return {
    signal: linked.signal,
    clear() {
      clearTimeout(timer);
      linked.release();
    },
  };
}
