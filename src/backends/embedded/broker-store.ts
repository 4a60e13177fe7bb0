/**
 * One broker of the embedded backend. Events and pending deliveries are rows in SQLite; which deliveries
 * are due, delayed or leased is kept in memory by a DeliveryScheduler per queue, so `lease` never polls
 * the database: it reads only the events it hands out, and not even those while a queue keeps up (FRESH_EVENTS_MAX).
 *
 * Durability: an append resolves after the group commit holding it was fsync'd; only then do its
 * deliveries become leasable. Settling a delivery (ack, term: delete the row; nak: record attempt and due
 * time) is group-committed as well, without waiting for an fsync: the next append's makes it durable, and a
 * settlement lost to a power cut only means a duplicate delivery. Leases themselves are not written: after a restart every pending
 * delivery is due again, so one that was leased when the process stopped comes back (at-least-once).
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';
import { checkAppendBatch } from '../../store/append-check.js';
import type {
  AppendItem,
  BrokerRef,
  BrokerStore,
  DeliveryQueue,
  Lease,
  LeaseOptions,
  PendingEvent,
  QueueId,
  QueueBacklog,
} from '../../store/contracts.js';
import {
  DeliveryScheduler,
  READY,
  type Pending,
  type SchedulerOptions,
} from '../../store/scheduler/scheduler.js';
import { QueueSchedulers } from '../../store/scheduler/queue-schedulers.js';
import type { GroupCommitter } from './group-commit.js';
import { EmbeddedHistory, insertAccepted, type HistoryStatements } from './history.js';
import { decodeEvent, encodeEvent, type Statements } from './statements.js';

export interface EmbeddedContext {
  readonly statements: Statements;
  readonly history: HistoryStatements;
  readonly committer: GroupCommitter;
  /** A history write that failed (it never fails a delivery). */
  readonly onHistoryError: (error: unknown) => void;
  /** Reserves space for `bytes` in the current transaction; throws MESH_BACKEND_FULL over maxBytes. */
  readonly reserve: (bytes: number) => void;
  readonly scheduler: SchedulerOptions;
}

export interface EmbeddedPending extends Pending {
  /** The delivery's row id. */
  readonly id: number;
  /**
   * The event as appended, kept until the delivery's first lease so that lease need not read back what
   * was just written; set only while the queue's due work is short (FRESH_EVENTS_MAX), so a backlog
   * stays on disk and out of memory.
   */
  event: CloudEvent | undefined;
  appendedAt: number;
}

/** Row and index overhead added to the payload when estimating what an append takes on disk. */
const EVENT_OVERHEAD_BYTES = 64;
const DELIVERY_OVERHEAD_BYTES = 48;
/** Events read per replay step; each step is one group-committed job. */
const REPLAY_CHUNK = 500;
/**
 * A queue keeps appended events in memory for their first lease only while fewer than this many of its
 * deliveries are due: a subscriber that keeps up never has its events read back from SQLite (about 6 us
 * of CPU per event under S1), and a backlog costs no memory beyond the scheduler's index.
 */
const FRESH_EVENTS_MAX = 64;

export function pendingOf(id: number, seq: number, attempt = 0): EmbeddedPending {
  return {
    id,
    seq,
    attempt,
    state: READY,
    due: 0,
    batch: undefined,
    heapIndex: -1,
    event: undefined,
    appendedAt: 0,
  };
}

class EmbeddedLease implements Lease {
  readonly attempt: number;

  constructor(
    private readonly store: EmbeddedBrokerStore,
    private readonly scheduler: DeliveryScheduler<EmbeddedPending>,
    private readonly pending: EmbeddedPending,
    readonly event: CloudEvent,
    readonly appendedAt: number,
  ) {
    this.attempt = pending.attempt;
  }

  get seq(): number {
    return this.pending.seq;
  }

  // A stale lease (expired and handed out again, or settled) settles nothing; see the memory backend.
  ack(): Promise<void> {
    return this.finish();
  }

  term(): Promise<void> {
    return this.finish();
  }

  nak(delayMs: number): Promise<void> {
    if (!this.scheduler.retry(this.pending, this.attempt, delayMs)) return Promise.resolve();
    const due = delayMs > 0 ? Date.now() + delayMs : 0;
    return this.store.write('nak', () =>
      this.store.context.statements.nakDelivery.run(this.attempt, due, this.pending.seq, this.pending.id),
    );
  }

  private finish(): Promise<void> {
    if (!this.scheduler.finish(this.pending, this.attempt)) return Promise.resolve();
    return this.store.write('settle', () =>
      this.store.context.statements.deleteDelivery.run(this.pending.seq, this.pending.id),
    );
  }
}

export class EmbeddedBrokerStore implements BrokerStore {
  private readonly schedulers: QueueSchedulers<EmbeddedPending>;
  private closed = false;
  readonly history: EmbeddedHistory;

  constructor(
    readonly ref: BrokerRef,
    /** The broker's row id; undefined after dropBroker until the broker is used again. */
    private brokerId: number | undefined,
    readonly context: EmbeddedContext,
    private readonly createBrokerRow: (ref: BrokerRef) => number,
    private readonly deleteBrokerRow: (id: number) => void,
  ) {
    this.schedulers = new QueueSchedulers<EmbeddedPending>(context.scheduler);
    this.history = new EmbeddedHistory(
      ref,
      () => this.brokerId,
      context.history,
      context.committer,
      context.onHistoryError,
    );
  }

  append(batch: readonly AppendItem[]): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    try {
      checkAppendBatch(batch);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const broker = this.liveBrokerId();
    const appendedAt = Date.now();
    const encoded = batch.map((item) => encodeEvent(item.event));
    let bytes = 0;
    let rows = 0;
    batch.forEach((item, i) => {
      const e = encoded[i]!;
      bytes += EVENT_OVERHEAD_BYTES + e.attributes.length + (e.data?.length ?? 0);
      for (const q of item.queues) bytes += DELIVERY_OVERHEAD_BYTES + q.length;
      rows += 1 + item.queues.length + (item.history === undefined ? 0 : 1);
    });
    const created: { queue: QueueId; pending: EmbeddedPending; event: CloudEvent }[] = [];
    const { statements, reserve, history } = this.context;
    return this.context.committer.submit({
      what: 'append',
      rows,
      run: () => {
        created.length = 0;
        reserve(bytes);
        batch.forEach((item, i) => {
          const e = encoded[i]!;
          const seq = statements.newEventId();
          statements.insertEvent.run(seq, broker, appendedAt, e.attributes, e.data);
          if (item.history !== undefined) insertAccepted(history, broker, appendedAt, item.history);
          for (const queue of item.queues) {
            const id = statements.newDeliveryId();
            statements.insertDelivery.run(seq, id, broker, queue);
            created.push({ queue, pending: pendingOf(id, seq), event: item.event });
          }
        });
      },
      after: () => {
        for (const c of created) {
          const scheduler = this.schedulers.of(c.queue);
          if (scheduler.readyCount < FRESH_EVENTS_MAX) {
            c.pending.event = c.event;
            c.pending.appendedAt = appendedAt;
          }
          scheduler.add(c.pending);
        }
      },
    });
  }

  queue(id: QueueId): DeliveryQueue {
    return {
      lease: async (options: LeaseOptions): Promise<Lease[]> => {
        const scheduler = this.schedulers.of(id);
        const max = Math.max(1, Math.floor(options.max));
        const items = await scheduler.lease(max, options.leaseMs, options.signal);
        return this.toLeases(scheduler, items);
      },
      backlog: (): QueueBacklog => {
        const scheduler = this.schedulers.get(id);
        if (scheduler === undefined) return { depth: 0, oldestAppendedAt: undefined };
        const { depth, oldest } = scheduler.backlog();
        if (oldest === undefined) return { depth, oldestAppendedAt: undefined };
        // Deliveries loaded at open do not know their event's append time: one row read per scrape.
        const appendedAt =
          oldest.appendedAt > 0
            ? oldest.appendedAt
            : this.context.statements.getEvent.get(oldest.seq)?.appended_at;
        return { depth, oldestAppendedAt: appendedAt };
      },
      whenWork: (onWork: () => void): (() => void) => this.schedulers.whenWork(id, onWork),
    };
  }

  dropQueue(id: QueueId): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    const broker = this.brokerId;
    if (broker === undefined) return Promise.resolve();
    return this.context.committer.submit({
      what: 'dropQueue',
      rows: 1,
      run: () => this.context.statements.dropQueue.run(broker, id),
      after: () => this.schedulers.forget(id),
    });
  }

  async replay(id: QueueId, since: Date, match: (event: CloudEvent) => boolean): Promise<number> {
    if (this.closed) throw closedError();
    const broker = this.brokerId;
    if (broker === undefined) return 0;
    const { statements, committer } = this.context;
    let added = 0;
    let after = 0;
    for (;;) {
      const rows = statements.replayScan.all(broker, after, since.getTime(), REPLAY_CHUNK);
      const seqs = rows.filter((row) => match(decodeEvent(row))).map((row) => row.id);
      const created: EmbeddedPending[] = [];
      if (seqs.length > 0) {
        await committer.submit({
          what: 'replay',
          rows: seqs.length,
          run: () => {
            created.length = 0;
            for (const seq of seqs) {
              const deliveryId = statements.newDeliveryId();
              const result = statements.insertDeliveryIfEvent.run(deliveryId, broker, id, seq);
              if (result.changes > 0) created.push(pendingOf(deliveryId, seq));
            }
          },
          after: () => {
            for (const p of created) this.schedulers.of(id).add(p);
          },
        });
        added += created.length;
      }
      if (rows.length < REPLAY_CHUNK) return added;
      after = rows[rows.length - 1]!.id;
    }
  }

  exportPending(): Promise<PendingEvent[]> {
    if (this.closed) return Promise.reject(closedError());
    const bySeq = new Map<number, { queue: QueueId; attempt: number; dueAt: number }[]>();
    for (const [queue, scheduler] of this.schedulers.entries()) {
      for (const { pending, due } of scheduler.unfinished()) {
        let deliveries = bySeq.get(pending.seq);
        if (deliveries === undefined) bySeq.set(pending.seq, (deliveries = []));
        deliveries.push({ queue, attempt: pending.attempt, dueAt: due });
      }
    }
    const out: PendingEvent[] = [];
    for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
      // Compaction keeps every event that has a delivery row, so the read finds it.
      const row = this.context.statements.getEvent.get(seq);
      if (row === undefined) continue;
      out.push({ event: decodeEvent(row), appendedAt: row.appended_at, deliveries: bySeq.get(seq)! });
    }
    return Promise.resolve(out);
  }

  importPending(batch: readonly PendingEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    const broker = this.liveBrokerId();
    const encoded = batch.map((item) => encodeEvent(item.event));
    let bytes = 0;
    let rows = 0;
    batch.forEach((item, i) => {
      const e = encoded[i]!;
      bytes += EVENT_OVERHEAD_BYTES + e.attributes.length + (e.data?.length ?? 0);
      for (const d of item.deliveries) bytes += DELIVERY_OVERHEAD_BYTES + d.queue.length;
      rows += 1 + item.deliveries.length;
    });
    const created: { queue: QueueId; pending: EmbeddedPending; due: number }[] = [];
    const { statements, reserve } = this.context;
    // One job, so one transaction: the whole migration is stored, or none of it.
    return this.context.committer.submit({
      what: 'import',
      rows,
      run: () => {
        created.length = 0;
        reserve(bytes);
        batch.forEach((item, i) => {
          const e = encoded[i]!;
          const seq = statements.newEventId();
          statements.insertEvent.run(seq, broker, item.appendedAt, e.attributes, e.data);
          for (const d of item.deliveries) {
            const id = statements.newDeliveryId();
            statements.insertDeliveryState.run(seq, id, broker, d.queue, d.attempt, d.dueAt);
            created.push({ queue: d.queue, pending: pendingOf(id, seq, d.attempt), due: d.dueAt });
          }
        });
      },
      after: () => {
        for (const c of created) this.restore(c.queue, c.pending, c.due);
      },
    });
  }

  /** Deletes the broker: its row at once (so the name can be used again), its deliveries in order. */
  drop(): Promise<void> {
    const broker = this.brokerId;
    if (broker === undefined) return Promise.resolve();
    this.brokerId = undefined;
    this.deleteBrokerRow(broker);
    // Its events are left to compaction: without their broker row they are no longer replayed.
    return this.context.committer.submit({
      what: 'dropBroker',
      rows: 1,
      run: () => this.context.statements.dropBrokerDeliveries.run(broker),
      after: () => {
        this.schedulers.forgetAll();
      },
    });
  }

  /** Puts a delivery loaded at open back in its queue. */
  restore(queue: QueueId, pending: EmbeddedPending, due: number): void {
    if (due > 0) this.schedulers.of(queue).addDelayed(pending, due);
    else this.schedulers.of(queue).add(pending);
  }

  close(): void {
    this.closed = true;
    this.schedulers.close();
  }

  /** A settlement (ack, term, nak): committed with the turn's writes, without an fsync of its own. */
  write(what: string, run: () => void): Promise<void> {
    return this.context.committer.submit({ what, rows: 1, isolated: false, durable: false, run });
  }

  private toLeases(scheduler: DeliveryScheduler<EmbeddedPending>, items: EmbeddedPending[]): Lease[] {
    const leases: Lease[] = [];
    for (const p of items) {
      const fresh = p.event;
      if (fresh !== undefined) {
        p.event = undefined;
        leases.push(new EmbeddedLease(this, scheduler, p, fresh, p.appendedAt));
        continue;
      }
      const row = this.context.statements.getEvent.get(p.seq);
      if (row === undefined) {
        // Cannot happen while the delivery row exists (compaction keeps events with deliveries); drop it.
        if (scheduler.finish(p, p.attempt))
          void this.write('settle', () => this.context.statements.deleteDelivery.run(p.seq, p.id)).catch(
            () => {},
          );
        continue;
      }
      leases.push(new EmbeddedLease(this, scheduler, p, decodeEvent(row), row.appended_at));
    }
    return leases;
  }

  private liveBrokerId(): number {
    if (this.brokerId === undefined) this.brokerId = this.createBrokerRow(this.ref);
    return this.brokerId;
  }
}

function closedError(): MeshError {
  return new MeshError('MESH_BACKEND_UNAVAILABLE', 'The embedded backend is closed.');
}
