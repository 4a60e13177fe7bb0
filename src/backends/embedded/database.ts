/**
 * The embedded backend's SQLite file: opening it with the durability settings the 202 depends on, the
 * versioned schema, and the mapping of SQLite failures to MeshError codes.
 *
 * WAL + synchronous=NORMAL, plus an fdatasync of the WAL before any caller is told its write is stored
 * (wal-sync.ts): an append whose promise resolved survives a crash or power loss (ARCHITECTURE 2.2: "202 once
 * the event is stored ... on disk, fsync'd"), while the fdatasync runs in the thread pool instead of inside
 * COMMIT on the event loop (docs/decisions/embedded-async-fsync.md).
 */
import { chmodSync, existsSync, mkdirSync, openSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MeshError, isMeshError } from '../../core/errors.js';

export type Db = Database.Database;

export const DB_FILE = 'cemesh.db';

/** SQLite's write-ahead log beside the database file: the file whose fdatasync makes commits durable. */
export function walPathOf(dataDir: string): string {
  return `${join(dataDir, DB_FILE)}-wal`;
}

/** Each entry migrates from schema version (index) to (index + 1); `user_version` records the version. */
const migrations: readonly string[] = [
  `
  CREATE TABLE brokers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (namespace, name)
  );
  -- id is the event's seq: AUTOINCREMENT so that a seq is never reused, even after the newest rows go.
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    broker INTEGER NOT NULL,
    appended_at INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    data BLOB
  );
  -- One row per pending delivery; due = 0 means due now.
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    broker INTEGER NOT NULL,
    queue TEXT NOT NULL,
    event INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    due INTEGER NOT NULL
  );
  CREATE INDEX deliveries_by_event ON deliveries (event);
  CREATE INDEX deliveries_by_queue ON deliveries (broker, queue);
  CREATE TABLE resources (
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    json TEXT NOT NULL,
    rv INTEGER NOT NULL,
    PRIMARY KEY (kind, namespace, name)
  ) WITHOUT ROWID;
  CREATE TABLE resource_changes (
    rv INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('resource_version', 0), ('changes_compacted_through', 0);
  `,
  `
  -- The delivery history (history.ts): one row per accepted event, written in the append's transaction,
  -- and one per attempt or outcome change, in the group commit that follows it.
  CREATE TABLE history_events (
    id INTEGER PRIMARY KEY,
    broker INTEGER NOT NULL,
    ce_id TEXT NOT NULL,
    source TEXT NOT NULL,
    accepted_at INTEGER NOT NULL,
    entry TEXT NOT NULL
  );
  CREATE INDEX history_by_event ON history_events (broker, ce_id, source);
  CREATE TABLE history_updates (
    id INTEGER PRIMARY KEY,
    event INTEGER NOT NULL,
    trigger TEXT NOT NULL,
    change TEXT NOT NULL
  );
  CREATE INDEX history_updates_by_event ON history_updates (event);
  `,
  `
  -- The objects in a table with a rowid. A WITHOUT ROWID table keeps at most 1,002 bytes of a row in a 4 KiB
  -- page: a trigger with its status (1.1-1.2 KB) spilled into an overflow page on every write, and 20,000
  -- writes took 0.56-0.80 s against 0.44-0.52 s here (BENCHMARKS.md, "SA").
  CREATE TABLE resources_by_rowid (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    json TEXT NOT NULL,
    rv INTEGER NOT NULL,
    UNIQUE (kind, namespace, name)
  );
  INSERT INTO resources_by_rowid (kind, namespace, name, json, rv)
    SELECT kind, namespace, name, json, rv FROM resources ORDER BY kind, namespace, name;
  DROP TABLE resources;
  ALTER TABLE resources_by_rowid RENAME TO resources;
  `,
  `
  -- Only dropping a queue or a broker read deliveries by (broker, queue), and both are rare: their DELETE scans
  -- the pending deliveries instead. Every delivery wrote the index twice (its insert and its delete), each a 4 KiB
  -- page of the WAL when an event is alone in its commits: 60.4 against 52.1 KiB written an event
  -- (bench/event-bytes.ts, BENCHMARKS.md).
  DROP INDEX IF EXISTS deliveries_by_queue;
  `,
  `
  -- Each object's JSON once, in the change log's row of its last write, instead of in its own row as well:
  -- every resource write stored the same 1-1.2 KB twice (resources.ts; bench/resource-rows.ts, BENCHMARKS.md).
  -- An object whose last write the log's window has passed gets its row back at that resourceVersion.
  INSERT OR IGNORE INTO resource_changes (rv, type, json) SELECT rv, 'MODIFIED', json FROM resources;
  CREATE TABLE resource_heads (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    rv INTEGER NOT NULL,
    UNIQUE (kind, namespace, name)
  );
  INSERT INTO resource_heads (kind, namespace, name, rv)
    SELECT kind, namespace, name, rv FROM resources ORDER BY id;
  DROP TABLE resources;
  ALTER TABLE resource_heads RENAME TO resources;
  -- Trimming the log keeps the rows objects point at: it looks them up by resourceVersion.
  CREATE INDEX resources_by_rv ON resources (rv);
  `,
  `
  -- Pending deliveries kept in their event's order: the table is its own index by event, which the compactor
  -- asks whether an event still has a delivery. Beside a rowid table, deliveries_by_event was a second page
  -- written by every delivery's insert and again by its delete (an event alone in its commits: 52.0 against
  -- 43.8 KiB written, bench/event-bytes.ts, BENCHMARKS.md).
  CREATE TABLE deliveries_by_event_key (
    event INTEGER NOT NULL,
    id INTEGER NOT NULL,
    broker INTEGER NOT NULL,
    queue TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    due INTEGER NOT NULL,
    PRIMARY KEY (event, id)
  ) WITHOUT ROWID;
  INSERT INTO deliveries_by_event_key (event, id, broker, queue, attempt, due)
    SELECT event, id, broker, queue, attempt, due FROM deliveries;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_by_event_key RENAME TO deliveries;
  `,
];

export const SCHEMA_VERSION = migrations.length;

/**
 * Written once the database was first created: from then on a missing database is an error, not a fresh
 * start (someone deleted or moved it; starting empty would silently drop every pending delivery).
 */
export const CREATED_MARKER = 'cemesh.db.created';

export function openDatabase(dataDir: string, maxBytes: number): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const path = join(dataDir, DB_FILE);
  const fresh = checkPresence(dataDir, path);
  let db: Db;
  try {
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
    if (fresh) closeSync(openSync(path, 'wx', 0o600));
    chmodSync(path, 0o600);
    db = new Database(path);
  } catch (error) {
    throw toMeshError(error, `cannot open ${path}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL: COMMIT does not fsync; WalSync does, off the event loop, before any write is acknowledged.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    if (!fresh) checkIntegrity(db, path);
    migrate(db);
    limitSize(db, maxBytes);
  } catch (error) {
    db.close();
    throw corruptOr(error, path);
  }
  if (!existsSync(join(dataDir, CREATED_MARKER))) {
    writeFileSync(join(dataDir, CREATED_MARKER), `${new Date().toISOString()}\n`, { mode: 0o600 });
  }
  return db;
}

/** True when the database is to be created; throws when it should exist but is missing or empty. */
function checkPresence(dataDir: string, path: string): boolean {
  const size = fileSize(path);
  if (size === undefined) {
    if (!existsSync(join(dataDir, CREATED_MARKER))) return true;
    throw new MeshError(
      'MESH_STORE_DAMAGED',
      `${path} is missing, but ${join(dataDir, CREATED_MARKER)} says it was created: restore it from a backup, ` +
        `or remove ${CREATED_MARKER} to start with an empty store`,
    );
  }
  if (size === 0) {
    throw new MeshError(
      'MESH_STORE_DAMAGED',
      `${path} is empty (0 bytes): it is not replaced by an empty store; restore it from a backup, or move it away to start empty`,
    );
  }
  return false;
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `quick_check` reads every page once: a truncated or overwritten file is found here, not mid-delivery. */
function checkIntegrity(db: Db, path: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    throw new MeshError(
      'MESH_STORE_DAMAGED',
      `${path} is corrupt (${problems.slice(0, 3).join('; ')}): restore it from a backup`,
    );
  }
}

function corruptOr(error: unknown, path: string): MeshError {
  const code = sqliteCode(error);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    const detail = error instanceof Error ? error.message : String(error);
    return new MeshError(
      'MESH_STORE_DAMAGED',
      `${path} is truncated, corrupt or not a cemesh database (${detail}): restore it from a backup`,
      {},
      { cause: error },
    );
  }
  return toMeshError(error, `cannot open ${path}`);
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new MeshError(
      'MESH_BACKEND_UNAVAILABLE',
      `the data file has schema version ${version}, newer than this cemesh understands (${SCHEMA_VERSION})`,
    );
  }
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(migrations[v] ?? '');
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** A hard ceiling: SQLite answers SQLITE_FULL rather than grow the file past maxBytes. */
function limitSize(db: Db, maxBytes: number): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`max_page_count = ${Math.max(16, Math.floor(maxBytes / pageSize))}`);
}

/**
 * Reads the bytes in use by live pages (free pages are reused before the file grows). It runs after every
 * commit, so it is one statement prepared once: three `db.pragma` calls prepare three statements each time
 * (17-23 us against 6-7 us a read, bench/used-bytes.ts).
 */
export function usedBytesReader(db: Db): () => number {
  const statement = db
    .prepare(
      'SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()',
    )
    .pluck();
  return () => statement.get() as number;
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** SQLITE_FULL (disk or max_page_count) is MESH_BACKEND_FULL; any other storage failure is UNAVAILABLE. */
export function toMeshError(error: unknown, doing: string): MeshError {
  if (isMeshError(error)) return error;
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL') {
    return new MeshError(
      'MESH_BACKEND_FULL',
      `${doing}: the embedded store is full (${detail})`,
      {},
      { cause: error },
    );
  }
  return new MeshError('MESH_BACKEND_UNAVAILABLE', `${doing}: ${detail}`, {}, { cause: error });
}
