/**
 * Retention for the embedded backend: events are kept for `retentionMs` after they were appended (for
 * replay), then deleted; an event with a pending delivery is never deleted, however old.
 *
 * Work is bounded: one step scans at most `stepRows` events (oldest first, from a cursor) and deletes the
 * expired ones in one short transaction. A run takes steps, yielding to the event loop between them, until
 * a step reaches events that are still within retention (then the cursor goes back to the oldest event,
 * where the next expiries will be) or the end of the table. Events of a dropped broker are deleted by the
 * same scan as soon as it meets them. The delivery history has the same retention: each step also prunes
 * up to `stepRows` of its oldest entries accepted before the cutoff.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export interface CompactionOptions {
  readonly retentionMs: number;
  /** Pause between runs. */
  readonly everyMs: number;
  /** Events scanned per step (default 2000). */
  readonly stepRows?: number;
  /** Deletes up to `rows` of the delivery history accepted before `cutoff`; returns how many went. */
  readonly pruneHistory?: (cutoff: number, rows: number) => number;
  /** Called after every step that deleted something. */
  readonly onDeleted?: (count: number) => void;
  /** Called when a step fails (the next run retries). */
  readonly onError?: (error: unknown) => void;
}

interface ScanRow {
  readonly id: number;
  readonly appended_at: number;
  readonly pending: number;
  readonly live: number;
}

export interface StepResult {
  readonly scanned: number;
  readonly deleted: number;
  /** True when the step met an event within retention or the end of the table. */
  readonly caughtUp: boolean;
}

export class Compactor {
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly stepRows: number;
  private readonly scan: Statement<[number, number], ScanRow>;
  private readonly deleteEvent: Statement<[number]>;
  private readonly deleteMany: (ids: readonly number[]) => void;

  constructor(
    db: Db,
    private readonly options: CompactionOptions,
  ) {
    this.stepRows = Math.max(1, options.stepRows ?? 2000);
    this.scan = db.prepare(
      'SELECT e.id, e.appended_at, ' +
        'EXISTS (SELECT 1 FROM deliveries d WHERE d.event = e.id) AS pending, ' +
        'EXISTS (SELECT 1 FROM brokers b WHERE b.id = e.broker) AS live ' +
        'FROM events e WHERE e.id > ? ORDER BY e.id LIMIT ?',
    );
    this.deleteEvent = db.prepare('DELETE FROM events WHERE id = ?');
    this.deleteMany = db.transaction((ids: readonly number[]) => {
      for (const id of ids) this.deleteEvent.run(id);
    });
  }

  start(): void {
    this.stopped = false;
    this.schedule(this.options.everyMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One bounded step of compaction. */
  step(now = Date.now()): StepResult {
    const cutoff = now - this.options.retentionMs;
    const rows = this.scan.all(this.cursor, this.stepRows);
    const expired: number[] = [];
    let caughtUp = rows.length < this.stepRows;
    for (const row of rows) {
      if (row.pending) continue;
      if (row.appended_at < cutoff || !row.live) expired.push(row.id);
      else if (row.live) caughtUp = true;
    }
    if (expired.length > 0) this.deleteMany(expired);
    this.cursor = caughtUp ? 0 : (rows[rows.length - 1]?.id ?? 0);
    const pruned = this.options.pruneHistory?.(cutoff, this.stepRows) ?? 0;
    if (pruned >= this.stepRows) caughtUp = false;
    if (expired.length + pruned > 0) this.options.onDeleted?.(expired.length + pruned);
    return { scanned: rows.length, deleted: expired.length, caughtUp };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(this.onTimer, delayMs);
    // Housekeeping alone must not keep the process alive.
    this.timer.unref();
  }

  private onTimer = (): void => {
    this.timer = undefined;
    let caughtUp = true;
    try {
      caughtUp = this.step().caughtUp;
    } catch (error) {
      this.options.onError?.(error);
    }
    // Keep stepping (one step per turn) until caught up, so compaction keeps pace with any append rate.
    if (caughtUp) this.schedule(this.options.everyMs);
    else this.schedule(0);
  };
}
