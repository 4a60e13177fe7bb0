/**
 * The embedded backend: durable on local disk, the default (ARCHITECTURE 2.6). One SQLite file
 * (`<dataDir>/cemesh.db`) holds the events, pending deliveries and resources. See docs/store.md.
 */
import { MeshError } from '../../core/errors.js';
import type { Backend, BrokerRef, BrokerStore, ResourceStore } from '../../store/contracts.js';
import { DEFAULT_CHANGE_LOG_SIZE } from '../../store/resources/versioned-store.js';
import { EmbeddedBrokerStore, pendingOf, type EmbeddedContext } from './broker-store.js';
import { Compactor } from './compaction.js';
import { openDatabase, toMeshError, usedBytesReader, walPathOf } from './database.js';
import { DEFAULT_MAX_ROWS, GroupCommitter, type CommitStats } from './group-commit.js';
import { openEmbeddedResources } from './resources.js';
import { HistoryStatements, pruneHistory } from './history.js';
import { Statements } from './statements.js';
import { WalSync, type WalSyncStats } from './wal-sync.js';

export interface EmbeddedOptions {
  readonly dataDir: string;
  /** How long events are kept for replay after they were appended (default 24 h). */
  readonly retentionMs?: number;
  /** The database may not grow past this size (default 1 GiB); appends then fail with MESH_BACKEND_FULL. */
  readonly maxBytes?: number;
  /** How late a lease expiry or nak delay may be noticed, so that nearby deadlines share a timer (default 10). */
  readonly leaseSweepMs?: number;
  /** Pause between compaction runs (default 60 s). */
  readonly compactEveryMs?: number;
  /** Share one transaction among the writes of one event-loop turn (default true; false to measure). */
  readonly groupCommit?: boolean;
  /** Rows per transaction at most (default 1000). */
  readonly maxBatchRows?: number;
  /** How many resource changes are kept for resuming watches (default 10,000). */
  readonly changeLogSize?: number;
  /** Observes every commit (for metrics and the benchmark). */
  readonly onCommit?: (stats: CommitStats) => void;
  /** Fault injection: every commit waits this long first (GroupCommitOptions.commitDelayMs). */
  readonly faultCommitDelayMs?: number;
  /** Observes every fdatasync of the WAL that makes commits durable. */
  readonly onSync?: (stats: WalSyncStats) => void;
  /** A delivery-history write that failed (history never fails a delivery). */
  readonly onHistoryError?: (error: unknown) => void;
}

export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_BYTES = 1024 ** 3;
/** Estimated bytes appended between two readings of the pages in use, far from maxBytes. */
const USAGE_READ_BYTES = 1024 ** 2;
/**
 * Within this of maxBytes every commit's appends read the pages in use again: an estimate may fall short of what
 * the rows take in pages (indexes, history rows, half-full pages), so the margin is a few times the bytes between
 * readings.
 */
const USAGE_NEAR_LIMIT_BYTES = 4 * USAGE_READ_BYTES;

function brokerKey(ref: BrokerRef): string {
  return `${ref.namespace}/${ref.name}`;
}

export async function openEmbedded(
  options: EmbeddedOptions,
): Promise<{ backend: Backend; resources: ResourceStore; durability: () => Durability }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const db = openDatabase(options.dataDir, maxBytes);
  const wal = new WalSync(walPathOf(options.dataDir), options.onSync);
  let openParts = 2;
  const release = (): void => {
    if (--openParts > 0) return;
    db.close();
    wal.close();
  };

  const statements = new Statements(db);
  const history = new HistoryStatements(db);
  // The pages in use are read again only when an append needs a closer figure: far from maxBytes it is checked
  // against the last reading plus the estimates reserved since, and the reading is renewed once they add up to
  // USAGE_READ_BYTES or come within a few times that of the limit, where every commit's appends get a fresh one.
  // Reading after every commit cost 6-16 us, and an event alone in its commits has two or three.
  const usedBytes = usedBytesReader(db);
  let used = usedBytes();
  let reserved = 0;
  let stale = false;
  const refreshUsage = (): void => {
    used = usedBytes();
    reserved = 0;
    stale = false;
  };
  const mayNeedReading = (bytes: number): boolean =>
    reserved + bytes > USAGE_READ_BYTES || used + reserved + bytes + USAGE_NEAR_LIMIT_BYTES > maxBytes;
  const committer = new GroupCommitter(db, {
    enabled: options.groupCommit ?? true,
    maxRows: options.maxBatchRows ?? DEFAULT_MAX_ROWS,
    onCommit: (stats) => {
      stale = true;
      options.onCommit?.(stats);
    },
    durable: () => wal.sync(),
    durableNow: () => wal.syncNow(),
    commitDelayMs: options.faultCommitDelayMs ?? 0,
  });
  const context: EmbeddedContext = {
    statements,
    history,
    committer,
    onHistoryError: options.onHistoryError ?? (() => undefined),
    scheduler: { timerSlackMs: options.leaseSweepMs ?? 10 },
    reserve: (bytes) => {
      if (stale && mayNeedReading(bytes)) refreshUsage();
      if (used + reserved + bytes > maxBytes) {
        throw new MeshError(
          'MESH_BACKEND_FULL',
          `the embedded store is full: ${used + reserved} of ${maxBytes} bytes in use, the append needs about ${bytes}`,
        );
      }
      reserved += bytes;
    },
  };

  const createBrokerRow = (ref: BrokerRef): number => {
    try {
      return Number(statements.insertBroker.run(ref.namespace, ref.name).lastInsertRowid);
    } catch (error) {
      throw toMeshError(error, `creating broker ${brokerKey(ref)}`);
    }
  };
  const deleteBrokerRow = (id: number): void => {
    statements.deleteBroker.run(id);
  };
  const brokers = new Map<string, EmbeddedBrokerStore>();
  const storeFor = (ref: BrokerRef, id: number | undefined): EmbeddedBrokerStore => {
    const store = new EmbeddedBrokerStore(
      { namespace: ref.namespace, name: ref.name },
      id,
      context,
      createBrokerRow,
      deleteBrokerRow,
    );
    brokers.set(brokerKey(ref), store);
    return store;
  };

  // Restart: every pending delivery is due again (a leased one comes back); nak'ed ones keep their due time.
  statements.deleteOrphanDeliveries.run();
  const byId = new Map<number, EmbeddedBrokerStore>();
  for (const row of statements.allBrokers.all()) byId.set(row.id, storeFor(row, row.id));
  for (const row of statements.allDeliveries.iterate()) {
    byId.get(row.broker)?.restore(row.queue, pendingOf(row.id, row.event, row.attempt), row.due);
  }

  const compactor = new Compactor(db, {
    retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    everyMs: options.compactEveryMs ?? 60_000,
    onDeleted: refreshUsage,
    pruneHistory: db.transaction((cutoff: number, rows: number) => pruneHistory(history, cutoff, rows)),
  });
  compactor.start();

  let closed = false;
  const backend: Backend = {
    kind: 'embedded',
    async broker(ref: BrokerRef): Promise<BrokerStore> {
      if (closed) throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'The embedded backend is closed.');
      return brokers.get(brokerKey(ref)) ?? storeFor(ref, createBrokerRow(ref));
    },
    async dropBroker(ref: BrokerRef): Promise<void> {
      if (closed) throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'The embedded backend is closed.');
      await brokers.get(brokerKey(ref))?.drop();
    },
    isReady(): boolean {
      return !closed;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      compactor.stop();
      for (const store of brokers.values()) store.close();
      committer.close();
      release();
    },
  };
  const resources = openEmbeddedResources(db, {
    durableNow: () => wal.syncNow(),
    changeLogSize: options.changeLogSize ?? DEFAULT_CHANGE_LOG_SIZE,
    onClose: release,
  });
  // The settings of the connection that commits, read from it: the durability test checks them against
  // what docs/store.md promises (whoever runs the commit must answer for its own connection).
  const durability = (): Durability => ({
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
  });
  return { backend, resources, durability };
}

/** SQLite's `journal_mode` and `synchronous` (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA) of the committing connection. */
export interface Durability {
  readonly journalMode: string;
  readonly synchronous: number;
}
