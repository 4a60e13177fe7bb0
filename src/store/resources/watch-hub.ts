/**
 * The change log behind `ResourceStore.watch`: a bounded window of the latest changes, so a watcher can
 * resume from a resourceVersion it saw, and live delivery to every open watch. A `since` older than the
 * window is answered like Kubernetes' 410 Gone: a MESH_RESOURCE_CONFLICT error saying the resourceVersion
 * is too old, and the client lists again.
 */
import { MeshError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/object.js';
import type { WatchEvent, WatchEventType } from '../contracts.js';

export interface Change {
  readonly rv: number;
  readonly type: WatchEventType;
  /** Frozen; handed to watchers as copies. */
  readonly object: Resource;
}

export interface WatchHubOptions {
  /** How many changes are kept for resuming. */
  readonly capacity: number;
  /** Retained changes, oldest first (at most `capacity` are kept). */
  readonly changes: readonly Change[];
  /** The highest resourceVersion no longer in the log (0 when nothing was ever dropped). */
  readonly compactedThrough: number;
}

/** A watcher that lags this many changes behind is ended with "too old" instead of buffering without end. */
const MAX_BUFFERED = 10_000;

export function tooOld(since: string, oldest: number): MeshError {
  return new MeshError(
    'MESH_RESOURCE_CONFLICT',
    `resourceVersion ${since} is too old: changes before ${oldest + 1} are no longer retained; list again`,
  );
}

class Subscription implements AsyncIterableIterator<WatchEvent> {
  private buffer: Change[] = [];
  private waiting:
    { resolve: (r: IteratorResult<WatchEvent>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private error: Error | undefined;

  constructor(
    backlog: Change[],
    private readonly unsubscribe: (s: Subscription) => void,
    private readonly signal: AbortSignal,
  ) {
    this.buffer = backlog;
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  push(change: Change): void {
    if (this.ended || this.error !== undefined) return;
    if (this.waiting !== undefined) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: toEvent(change), done: false });
      return;
    }
    this.buffer.push(change);
    if (this.buffer.length > MAX_BUFFERED) {
      this.fail(new MeshError('MESH_RESOURCE_CONFLICT', 'the watch fell too far behind; list again'));
    }
  }

  fail(error: Error): void {
    this.buffer = [];
    this.error = error;
    this.detach();
    if (this.waiting !== undefined) {
      const waiting = this.waiting;
      this.waiting = undefined;
      this.ended = true;
      waiting.reject(error);
    }
  }

  end(): void {
    this.ended = true;
    this.buffer = [];
    this.detach();
    if (this.waiting !== undefined) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    const change = this.buffer.shift();
    if (change !== undefined) return Promise.resolve({ value: toEvent(change), done: false });
    if (this.error !== undefined && !this.ended) {
      this.ended = true;
      return Promise.reject(this.error);
    }
    if (this.ended || this.error !== undefined) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<WatchEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WatchEvent> {
    return this;
  }

  private onAbort = (): void => this.end();

  private detach(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.unsubscribe(this);
  }
}

function toEvent(change: Change): WatchEvent {
  return { type: change.type, object: change.object };
}

export class WatchHub {
  private log: Change[];
  private compactedThrough: number;
  private readonly subscribers = new Set<Subscription>();
  private readonly capacity: number;

  constructor(options: WatchHubOptions) {
    this.capacity = Math.max(1, options.capacity);
    this.log = options.changes.slice(-this.capacity);
    const dropped = options.changes.length - this.log.length;
    const lastDropped = dropped > 0 ? (options.changes[dropped - 1]?.rv ?? 0) : 0;
    this.compactedThrough = Math.max(options.compactedThrough, lastDropped);
  }

  /** The smallest `since` a watch can resume from. */
  get oldestResumable(): number {
    return this.oldestRetained();
  }

  record(change: Change): void {
    this.log.push(change);
    if (this.log.length > this.capacity * 2) {
      const cut = this.log.length - this.capacity;
      this.compactedThrough = this.log[cut - 1]?.rv ?? this.compactedThrough;
      this.log = this.log.slice(cut);
    }
    for (const s of this.subscribers) s.push(change);
  }

  /**
   * Opens a watch of the changes after `since` (after `current` when undefined). The watch is registered
   * now, so no change made after this call is missed; a bad `since` is reported by the first `next()`.
   */
  watch(since: string | undefined, current: number, signal: AbortSignal): AsyncIterableIterator<WatchEvent> {
    let from = current;
    let error: Error | undefined;
    if (since !== undefined) {
      if (!/^\d+$/.test(since)) {
        error = new MeshError('MESH_REQUEST_INVALID', `resourceVersion "${since}" is not a resourceVersion`);
      } else {
        from = Number(since);
        const oldest = this.oldestRetained();
        if (from < oldest) error = tooOld(since, oldest);
      }
    }
    const backlog = error === undefined ? this.log.filter((c) => c.rv > from) : [];
    const subscription = new Subscription(backlog, (s) => this.subscribers.delete(s), signal);
    if (error !== undefined) subscription.fail(error);
    else if (signal.aborted) subscription.end();
    else this.subscribers.add(subscription);
    return subscription;
  }

  /** Ends every open watch. */
  close(): void {
    for (const s of [...this.subscribers]) s.end();
  }

  /** The smallest `since` that can be resumed from: every change after it is still in the log. */
  private oldestRetained(): number {
    // The log keeps between capacity and 2 * capacity entries (trimmed in steps); promise only capacity.
    const keepFrom = this.log.length - this.capacity;
    if (keepFrom > 0) return this.log[keepFrom - 1]?.rv ?? this.compactedThrough;
    return this.compactedThrough;
  }
}
