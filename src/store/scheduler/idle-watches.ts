/**
 * `whenWork` for the queues that have never held a delivery, so that such a queue needs no scheduler: a
 * delivery loop waits in `whenWork` until its queue first holds something, and 10,000 triggers that never
 * see an event each held a scheduler (its three heaps, its arrays, its closures) only for that wait: an idle
 * trigger's data plane holds 2.70 KB instead of 3.42 KB (`bench/trigger-heap.ts`, compiled). A backend answers `whenWork`
 * here while the queue has no scheduler, and hands the waiting calls over when it makes one.
 */
import type { QueueId } from '../contracts.js';

interface Watch {
  readonly onWork: () => void;
  /** Once handed to a scheduler: its way to cancel. */
  cancel: (() => void) | undefined;
}

export class IdleWatches {
  private readonly byQueue = new Map<QueueId, Watch[]>();

  /** Calls `onWork` once, after the queue's first delivery arrives (see `moveTo`). Returns the cancel. */
  add(id: QueueId, onWork: () => void): () => void {
    const watch: Watch = { onWork, cancel: undefined };
    const watches = this.byQueue.get(id);
    if (watches === undefined) this.byQueue.set(id, [watch]);
    else watches.push(watch);
    return () => {
      if (watch.cancel !== undefined) return watch.cancel();
      const left = (this.byQueue.get(id) ?? []).filter((w) => w !== watch);
      if (left.length > 0) this.byQueue.set(id, left);
      else this.byQueue.delete(id);
    };
  }

  /**
   * The queue now has a scheduler: its waiting calls wait there (before the delivery that made it is added,
   * so they are called after the append, as the scheduler calls its own).
   */
  moveTo(id: QueueId, scheduler: { whenWork(onWork: () => void): () => void }): void {
    const watches = this.byQueue.get(id);
    if (watches === undefined) return;
    this.byQueue.delete(id);
    for (const watch of watches) watch.cancel = scheduler.whenWork(watch.onWork);
  }

  /** Forgets every waiting call (the backend closed: none will be called, as a closed scheduler calls none). */
  clear(): void {
    this.byQueue.clear();
  }

  /** Queues with calls waiting (tests). */
  get size(): number {
    return this.byQueue.size;
  }
}
