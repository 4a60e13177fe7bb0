/**
 * Group commit: writes submitted in the same event-loop turn (e.g. the appends of every request whose body
 * was read in one poll phase) share one SQLite transaction and so one fsync. Each caller's promise settles
 * after the commit that holds its write:
 * - a job that throws is rolled back alone (it runs in a savepoint of its own) and rejects alone;
 * - a commit that fails (or a failure that makes SQLite abandon the transaction, such as SQLITE_FULL)
 *   rejects exactly the callers whose jobs it held; nothing of theirs is stored.
 * A transaction holds at most `maxRows` rows, so one commit blocks the event loop for a bounded time; the
 * rest waits for the next turn. See docs/decisions/embedded-group-commit.md for the measurements.
 *
 * With a `durable` hook (the WAL's asynchronous fdatasync, see wal-sync.ts) a commit only writes on the event
 * loop; the jobs' in-memory effects run at once, and their promises resolve once the hook says the commit is
 * on disk, so the next turn's commit proceeds while the previous one is being flushed. A commit holding only
 * jobs marked `durable: false` does not call the hook at all.
 */
import { MeshError } from '../../core/errors.js';
import { toMeshError, type Db } from './database.js';

export interface CommitJob {
  /** Runs inside the shared transaction; a throw rolls back this job's writes only. */
  readonly run: () => void;
  /** In-memory effects, run once the commit holding the job succeeded and before its promise resolves. */
  readonly after?: () => void;
  /** Rows the job writes: bounds the size of a transaction. */
  readonly rows: number;
  /** Names the operation in error messages. */
  readonly what: string;
  /**
   * False for jobs that write one statement and cannot fail alone (settling a delivery): they skip the
   * savepoint, and a throw from one fails the whole commit. Default true.
   */
  readonly isolated?: boolean;
  /**
   * False for writes nobody is promised are on disk (a delivery's settlement, the delivery history): the
   * job resolves once its commit is written, and asks for no fsync of its own. The commit is in the WAL
   * (a killed process loses nothing), and the next commit that asks for one, or close, makes it durable;
   * a power loss before that re-delivers the event, which at-least-once allows. Default true.
   */
  readonly durable?: boolean;
}

export interface GroupCommitOptions {
  /** Share one transaction among the jobs of one turn (default true); false commits every job alone. */
  readonly enabled?: boolean;
  /** Rows per transaction before the rest waits for the next turn (default 1000). */
  readonly maxRows?: number;
  /**
   * Fault injection for the durability test (test/faults): every commit waits this long before it runs,
   * so a process killed meanwhile shows whether any caller was told "stored" before its commit. 0: off.
   */
  readonly commitDelayMs?: number;
  /** Observes every commit (jobs, rows, and how long the event loop was blocked by it). */
  readonly onCommit?: (stats: CommitStats) => void;
  /**
   * Resolves once every commit made before the call is durable; absent when COMMIT itself is durable
   * (`synchronous=FULL`). A rejection rejects the jobs of the commits it was to cover.
   */
  readonly durable?: () => Promise<void>;
  /** The blocking form of `durable`, used by close(). */
  readonly durableNow?: () => void;
}

export interface CommitStats {
  readonly jobs: number;
  readonly rows: number;
  readonly ms: number;
}

export const DEFAULT_MAX_ROWS = 1000;

interface Entry {
  readonly job: CommitJob;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommitter {
  private queue: Entry[] = [];
  private scheduled = false;
  private closed = false;
  private readonly enabled: boolean;
  private readonly maxRows: number;
  private readonly inner: (job: CommitJob) => void;
  private readonly outer: (entries: readonly Entry[], failures: Map<Entry, unknown>) => void;

  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.maxRows = Math.max(1, options.maxRows ?? DEFAULT_MAX_ROWS);
    // Nested better-sqlite3 transactions run as SAVEPOINTs inside the outer one.
    this.inner = db.transaction((job: CommitJob) => job.run());
    this.outer = db.transaction((entries: readonly Entry[], failures: Map<Entry, unknown>) => {
      for (const entry of entries) {
        if (entry.job.isolated === false) {
          entry.job.run();
          continue;
        }
        try {
          this.inner(entry.job);
        } catch (error) {
          // SQLITE_FULL and I/O errors may make SQLite roll the whole transaction back: then every job
          // in it is lost and the commit must fail as a whole.
          if (!db.inTransaction) throw error;
          failures.set(entry, error);
        }
      }
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  submit(job: CommitJob): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new MeshError('MESH_BACKEND_UNAVAILABLE', `${job.what}: the embedded store is closed`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule();
      }
    });
  }

  private schedule(): void {
    const delay = this.options.commitDelayMs ?? 0;
    if (delay > 0) setTimeout(this.onTurn, delay);
    else setImmediate(this.onTurn);
  }

  /** Commits everything queued now, synchronously, and refuses later jobs. */
  close(): void {
    this.closed = true;
    const settled: Entry[] = [];
    while (this.queue.length > 0) settled.push(...this.commitNext(false));
    if (settled.length === 0) return;
    try {
      this.options.durableNow?.();
    } catch (error) {
      for (const entry of settled) entry.reject(toMeshError(error, entry.job.what));
      return;
    }
    for (const entry of settled) entry.resolve();
  }

  private onTurn = (): void => {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    this.commitNext();
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      this.schedule();
    }
  };

  /** Commits the next batch; returns its successful entries when `settle` is false (close settles them). */
  private commitNext(settle = true): Entry[] {
    let rows = 0;
    let count = 0;
    if (this.enabled) {
      while (
        count < this.queue.length &&
        (count === 0 || rows + (this.queue[count]?.job.rows ?? 0) <= this.maxRows)
      ) {
        rows += this.queue[count]?.job.rows ?? 0;
        count++;
      }
    } else {
      count = 1;
      rows = this.queue[0]?.job.rows ?? 0;
    }
    const entries = this.queue.splice(0, count);
    const started = performance.now();
    const failures = new Map<Entry, unknown>();
    try {
      this.outer(entries, failures);
    } catch (error) {
      for (const entry of entries) entry.reject(toMeshError(error, entry.job.what));
      return [];
    } finally {
      this.options.onCommit?.({ jobs: entries.length, rows, ms: performance.now() - started });
    }
    const committed: Entry[] = [];
    for (const entry of entries) {
      if (failures.has(entry)) {
        entry.reject(toMeshError(failures.get(entry), entry.job.what));
        continue;
      }
      try {
        entry.job.after?.();
        committed.push(entry);
      } catch (error) {
        entry.reject(
          new MeshError('MESH_INTERNAL', `${entry.job.what}: ${String(error)}`, {}, { cause: error }),
        );
      }
    }
    if (!settle || committed.length === 0) return committed;
    const durable = this.options.durable;
    if (durable === undefined) {
      for (const entry of committed) entry.resolve();
      return [];
    }
    // Only writes that were promised durability wait for (and ask for) an fsync.
    const waiting: Entry[] = [];
    for (const entry of committed) {
      if (entry.job.durable === false) entry.resolve();
      else waiting.push(entry);
    }
    if (waiting.length === 0) return [];
    durable().then(
      () => {
        for (const entry of waiting) entry.resolve();
      },
      (error: unknown) => {
        for (const entry of waiting) entry.reject(toMeshError(error, entry.job.what));
      },
    );
    return [];
  }
}
