/**
 * The memory backend: every broker's events and pending deliveries live in this process and are lost on
 * restart (like Knative's InMemoryChannel). It is the throughput reference for the other backends.
 *
 * Events are kept for replay in a bounded window per broker (the last `retainEvents`, default 10,000);
 * an event with pending deliveries stays alive through them even after it leaves that window.
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';
import type {
  AppendItem,
  Backend,
  BrokerRef,
  BrokerStore,
  DeliveryQueue,
  Lease,
  LeaseOptions,
  PendingEvent,
  QueueId,
  QueueBacklog,
} from '../contracts.js';
import { checkAppendBatch } from '../append-check.js';
import { DeliveryScheduler, READY, type Pending } from '../scheduler/scheduler.js';
import { QueueSchedulers } from '../scheduler/queue-schedulers.js';
import { admit, BacklogCount, DEFAULT_BACKLOG_LIMITS, eventBytes, type BacklogLimits } from './backlog.js';

export interface MemoryBackendOptions {
  /** How many of each broker's most recent events are kept for replay (default 10,000). */
  readonly retainEvents?: number;
  /** Undelivered events beyond which appends are refused (docs/store.md); defaults per field. */
  readonly backlog?: Partial<BacklogLimits>;
}

export const DEFAULT_RETAIN_EVENTS = 10_000;

interface EventRecord {
  readonly event: CloudEvent;
  readonly seq: number;
  readonly appendedAt: number;
  /** Deliveries of this event still pending; while above 0 the event counts in the backlog. */
  waiting: number;
  /** What it counts for in the backlog's bytes (0 until it first waits). */
  bytes: number;
}

interface MemoryPending extends Pending {
  readonly record: EventRecord;
}

function pendingOf(record: EventRecord): MemoryPending {
  return { record, seq: record.seq, attempt: 0, state: READY, due: 0, batch: undefined, heapIndex: -1 };
}

class MemoryLease implements Lease {
  readonly attempt: number;

  constructor(
    private readonly scheduler: DeliveryScheduler<MemoryPending>,
    private readonly pending: MemoryPending,
  ) {
    this.attempt = pending.attempt;
  }

  get event(): CloudEvent {
    return this.pending.record.event;
  }

  get seq(): number {
    return this.pending.seq;
  }

  get appendedAt(): number {
    return this.pending.record.appendedAt;
  }

  // A stale lease (expired and handed out again, or already settled) settles nothing: the delivery it
  // named is someone else's now, and at-least-once allows the duplicate that follows.
  ack(): Promise<void> {
    this.scheduler.finish(this.pending, this.attempt);
    return Promise.resolve();
  }

  nak(delayMs: number): Promise<void> {
    this.scheduler.retry(this.pending, this.attempt, delayMs);
    return Promise.resolve();
  }

  term(): Promise<void> {
    this.scheduler.finish(this.pending, this.attempt);
    return Promise.resolve();
  }
}

/** The last `capacity` records, oldest first. */
class RetainedWindow {
  private readonly slots: (EventRecord | undefined)[];
  private start = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.slots = new Array<EventRecord | undefined>(capacity);
  }

  push(record: EventRecord): void {
    if (this.capacity === 0) return;
    if (this.count < this.capacity) {
      this.slots[(this.start + this.count++) % this.capacity] = record;
    } else {
      this.slots[this.start] = record;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  *records(): Generator<EventRecord> {
    for (let i = 0; i < this.count; i++) {
      const record = this.slots[(this.start + i) % this.capacity];
      if (record !== undefined) yield record;
    }
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}

class MemoryBrokerStore implements BrokerStore {
  private seq = 0;
  private readonly retained: RetainedWindow;
  private closed = false;
  private readonly backlog = new BacklogCount();
  private readonly onDone = (p: MemoryPending): void => this.release(p.record);
  private readonly schedulers = new QueueSchedulers<MemoryPending>({ onDone: this.onDone });

  constructor(
    readonly ref: BrokerRef,
    retainEvents: number,
    private readonly limits: BacklogLimits,
    private readonly total: BacklogCount,
  ) {
    this.retained = new RetainedWindow(retainEvents);
  }

  append(batch: readonly AppendItem[]): Promise<void> {
    if (this.closed) return Promise.reject(unavailable());
    const sizes = batch.map((item) => (item.queues.length > 0 ? eventBytes(item.event) : 0));
    try {
      checkAppendBatch(batch);
      const waiting = batch.filter((item) => item.queues.length > 0).length;
      const bytes = sizes.reduce((a, b) => a + b, 0);
      admit(this.limits, this.backlog, this.total, `${this.ref.namespace}/${this.ref.name}`, waiting, bytes);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const appendedAt = Date.now();
    batch.forEach((item, i) => {
      const record: EventRecord = { event: item.event, seq: ++this.seq, appendedAt, waiting: 0, bytes: 0 };
      this.retained.push(record);
      for (const id of item.queues) this.wait(record, sizes[i] ?? 0, id);
    });
    return Promise.resolve();
  }

  exportPending(): Promise<PendingEvent[]> {
    const byRecord = new Map<
      EventRecord,
      PendingEvent & { deliveries: PendingEvent['deliveries'][number][] }
    >();
    for (const [queue, scheduler] of this.schedulers.entries()) {
      for (const { pending, due } of scheduler.unfinished()) {
        const { record } = pending;
        let entry = byRecord.get(record);
        if (entry === undefined) {
          entry = { event: record.event, appendedAt: record.appendedAt, deliveries: [] };
          byRecord.set(record, entry);
        }
        entry.deliveries.push({ queue, attempt: pending.attempt, dueAt: due });
      }
    }
    const records = [...byRecord.keys()].sort((a, b) => a.seq - b.seq);
    return Promise.resolve(records.map((r) => byRecord.get(r)!));
  }

  importPending(batch: readonly PendingEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(unavailable());
    const sizes = batch.map((item) => (item.deliveries.length > 0 ? eventBytes(item.event) : 0));
    try {
      const waiting = batch.filter((item) => item.deliveries.length > 0).length;
      const bytes = sizes.reduce((a, b) => a + b, 0);
      admit(this.limits, this.backlog, this.total, `${this.ref.namespace}/${this.ref.name}`, waiting, bytes);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    batch.forEach((item, i) => {
      const record: EventRecord = {
        event: item.event,
        seq: ++this.seq,
        appendedAt: item.appendedAt,
        waiting: 0,
        bytes: 0,
      };
      this.retained.push(record);
      for (const d of item.deliveries) this.wait(record, sizes[i] ?? 0, d.queue, d.attempt, d.dueAt);
    });
    return Promise.resolve();
  }

  /** Adds a pending delivery of `record` to queue `id`, counting the event in the backlog when it starts waiting. */
  private wait(record: EventRecord, bytes: number, id: QueueId, attempt = 0, due = 0): void {
    if (record.waiting++ === 0) {
      record.bytes = bytes;
      this.backlog.events++;
      this.backlog.bytes += bytes;
      this.total.events++;
      this.total.bytes += bytes;
    }
    const pending = pendingOf(record);
    pending.attempt = attempt;
    if (due > 0) this.schedulers.of(id).addDelayed(pending, due);
    else this.schedulers.of(id).add(pending);
  }

  private release(record: EventRecord): void {
    if (--record.waiting !== 0) return;
    this.backlog.events--;
    this.backlog.bytes -= record.bytes;
    this.total.events--;
    this.total.bytes -= record.bytes;
  }

  queue(id: QueueId): DeliveryQueue {
    // The handle looks its scheduler up on every call, so it stays valid across dropQueue.
    return {
      lease: (options: LeaseOptions): Promise<Lease[]> => {
        const scheduler = this.schedulers.of(id);
        const max = Math.max(1, Math.floor(options.max));
        return scheduler
          .lease(max, options.leaseMs, options.signal)
          .then((items) => items.map((p) => new MemoryLease(scheduler, p)));
      },
      backlog: (): QueueBacklog => {
        const scheduler = this.schedulers.get(id);
        if (scheduler === undefined) return { depth: 0, oldestAppendedAt: undefined };
        const { depth, oldest } = scheduler.backlog();
        return { depth, oldestAppendedAt: oldest?.record.appendedAt };
      },
      whenWork: (onWork: () => void): (() => void) => this.schedulers.whenWork(id, onWork),
    };
  }

  dropQueue(id: QueueId): Promise<void> {
    this.schedulers.forget(id);
    return Promise.resolve();
  }

  replay(id: QueueId, since: Date, match: (event: CloudEvent) => boolean): Promise<number> {
    if (this.closed) return Promise.reject(unavailable());
    const from = since.getTime();
    let added = 0;
    for (const record of this.retained.records()) {
      if (record.appendedAt < from || !match(record.event)) continue;
      this.wait(record, record.waiting > 0 ? record.bytes : eventBytes(record.event), id);
      added++;
    }
    return Promise.resolve(added);
  }

  /** Forgets every event and delivery; the store stays usable (the broker may be created again). */
  clear(): void {
    for (const scheduler of this.schedulers.values()) scheduler.clear();
    this.retained.clear();
  }

  close(): void {
    this.closed = true;
    this.schedulers.close();
  }
}

function unavailable(): MeshError {
  return new MeshError('MESH_BACKEND_UNAVAILABLE', 'The memory backend is closed.');
}

function brokerKey(ref: BrokerRef): string {
  return `${ref.namespace}/${ref.name}`;
}

export function createMemoryBackend(options: MemoryBackendOptions = {}): Backend {
  const retainEvents = Math.max(0, Math.floor(options.retainEvents ?? DEFAULT_RETAIN_EVENTS));
  const limits: BacklogLimits = { ...DEFAULT_BACKLOG_LIMITS, ...options.backlog };
  const total = new BacklogCount();
  const brokers = new Map<string, MemoryBrokerStore>();
  let closed = false;
  return {
    kind: 'memory',
    broker(ref: BrokerRef): Promise<BrokerStore> {
      if (closed) return Promise.reject(unavailable());
      const key = brokerKey(ref);
      let store = brokers.get(key);
      if (store === undefined) {
        store = new MemoryBrokerStore(
          { namespace: ref.namespace, name: ref.name },
          retainEvents,
          limits,
          total,
        );
        brokers.set(key, store);
      }
      return Promise.resolve(store);
    },
    dropBroker(ref: BrokerRef): Promise<void> {
      // The store object stays (handles held by the data plane keep working on an empty broker).
      brokers.get(brokerKey(ref))?.clear();
      return Promise.resolve();
    },
    isReady(): boolean {
      return !closed;
    },
    close(): Promise<void> {
      closed = true;
      for (const store of brokers.values()) store.close();
      return Promise.resolve();
    },
  };
}
