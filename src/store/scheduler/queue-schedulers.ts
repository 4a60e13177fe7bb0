/**
 * A broker's delivery schedulers, one per queue, for the backends that schedule in memory (memory, embedded).
 * A queue gets its scheduler when it first holds a delivery; until then its `whenWork` waits in IdleWatches, so
 * that a trigger that never sees an event holds no scheduler (idle-watches.ts).
 */
import type { QueueId } from '../contracts.js';
import { IdleWatches } from './idle-watches.js';
import { DeliveryScheduler, type Pending, type SchedulerOptions } from './scheduler.js';

export class QueueSchedulers<P extends Pending> {
  private readonly byQueue = new Map<QueueId, DeliveryScheduler<P>>();
  private readonly idle = new IdleWatches();
  private closed = false;

  constructor(private readonly options: SchedulerOptions<P>) {}

  /** The queue's scheduler, made on first use (closed if the schedulers are). */
  of(id: QueueId): DeliveryScheduler<P> {
    let scheduler = this.byQueue.get(id);
    if (scheduler === undefined) {
      scheduler = new DeliveryScheduler<P>(this.options);
      if (this.closed) scheduler.close();
      this.byQueue.set(id, scheduler);
      this.idle.moveTo(id, scheduler);
    }
    return scheduler;
  }

  /** The queue's scheduler if it has one: a read that must not make one (a backlog, an export). */
  get(id: QueueId): DeliveryScheduler<P> | undefined {
    return this.byQueue.get(id);
  }

  /** Calls `onWork` once the queue has work; a queue without a scheduler waits for its first delivery. */
  whenWork(id: QueueId, onWork: () => void): () => void {
    return this.byQueue.has(id) || this.closed ? this.of(id).whenWork(onWork) : this.idle.add(id, onWork);
  }

  /**
   * Drops the queue's deliveries. Its scheduler goes too, unless a delivery loop waits on it: the loop must see
   * deliveries appended to the queue later.
   */
  forget(id: QueueId): void {
    const scheduler = this.byQueue.get(id);
    if (scheduler === undefined) return;
    scheduler.clear();
    if (scheduler.waiterCount === 0) {
      scheduler.close();
      this.byQueue.delete(id);
    }
  }

  /** `forget` for every queue (the broker was dropped). */
  forgetAll(): void {
    for (const id of [...this.byQueue.keys()]) this.forget(id);
  }

  entries(): IterableIterator<[QueueId, DeliveryScheduler<P>]> {
    return this.byQueue.entries();
  }

  values(): IterableIterator<DeliveryScheduler<P>> {
    return this.byQueue.values();
  }

  /** Closes every scheduler and forgets the waiting calls: none will be called. */
  close(): void {
    this.closed = true;
    for (const scheduler of this.byQueue.values()) scheduler.close();
    this.idle.clear();
  }
}
