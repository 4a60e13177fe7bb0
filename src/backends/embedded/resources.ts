/**
 * The embedded resource store: the shared VersionedResourceStore semantics, with every change written
 * (object, change-log entry, resourceVersion counter) in one SQLite transaction, flushed to disk before it becomes
 * visible. The change log kept on disk is as long as the one in memory, so a watch resumes across restarts.
 *
 * Each object's JSON is stored once: in the change log's row of its last write, which `resources` points at by
 * its resourceVersion. A row older than the log's window is kept while an object points at it, and goes when
 * that object is written again or deleted (schema version 5, `database.ts`).
 */
import type { Resource } from '../../core/resources/object.js';
import { VersionedResourceStore, type ResourceWrite } from '../../store/resources/versioned-store.js';
import type { Change } from '../../store/resources/watch-hub.js';
import type { WatchEventType } from '../../store/contracts.js';
import { toMeshError, type Db } from './database.js';

export interface EmbeddedResourceOptions {
  readonly changeLogSize: number;
  readonly onClose: () => void;
  /** Flushes the WAL: a change becomes visible only once it is on disk. */
  readonly durableNow: () => void;
}

interface ChangeRow {
  readonly rv: number;
  readonly type: WatchEventType;
  readonly json: string;
}

function meta(db: Db, key: string): number {
  const row = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value ?? 0;
}

export function openEmbeddedResources(db: Db, options: EmbeddedResourceOptions): VersionedResourceStore {
  let compactedThrough = meta(db, 'changes_compacted_through');
  const objects = db
    .prepare<[], { json: string }>(
      'SELECT c.json FROM resources r JOIN resource_changes c ON c.rv = r.rv ORDER BY r.id',
    )
    .all()
    .map((row) => JSON.parse(row.json) as Resource);
  const changes: Change[] = db
    .prepare<[number], ChangeRow>('SELECT rv, type, json FROM resource_changes WHERE rv > ? ORDER BY rv')
    .all(compactedThrough)
    .map((row) => ({ rv: row.rv, type: row.type, object: JSON.parse(row.json) as Resource }));

  const upsert = db.prepare<[string, string, string, number]>(
    'INSERT OR REPLACE INTO resources (kind, namespace, name, rv) VALUES (?, ?, ?, ?)',
  );
  const remove = db.prepare<[string, string, string]>(
    'DELETE FROM resources WHERE kind = ? AND namespace = ? AND name = ?',
  );
  const logChange = db.prepare<[number, string, string]>(
    'INSERT INTO resource_changes (rv, type, json) VALUES (?, ?, ?)',
  );
  // A row the window has passed, kept only because an object pointed at it.
  const dropKept = db.prepare<[number]>('DELETE FROM resource_changes WHERE rv = ?');
  const trimChanges = db.prepare<[number, number]>(
    'DELETE FROM resource_changes WHERE rv > ? AND rv <= ? AND rv NOT IN (SELECT rv FROM resources)',
  );
  const setMeta = db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE key = ?');

  // Every change of a batch (writeMany) in one transaction, flushed once.
  const persist = db.transaction((writes: readonly ResourceWrite[]) => {
    for (const write of writes) {
      const { kind, namespace = '', name } = write.key;
      if (write.type === 'DELETED') remove.run(kind, namespace, name);
      else upsert.run(kind, namespace, name, write.rv);
      logChange.run(write.rv, write.type, JSON.stringify(write.object));
      if (write.replaces !== undefined && write.replaces <= compactedThrough) dropKept.run(write.replaces);
    }
    const last = writes.at(-1)?.rv ?? 0;
    setMeta.run(last, 'resource_version');
    const oldest = last - options.changeLogSize;
    if (oldest > compactedThrough) {
      trimChanges.run(compactedThrough, oldest);
      setMeta.run(oldest, 'changes_compacted_through');
    }
    return oldest;
  });

  return new VersionedResourceStore({
    objects,
    version: meta(db, 'resource_version'),
    changes,
    compactedThrough,
    changeLogSize: options.changeLogSize,
    persist: (writes) => {
      try {
        const oldest = persist(writes);
        compactedThrough = Math.max(compactedThrough, oldest);
        options.durableNow();
      } catch (error) {
        throw toMeshError(error, `storing ${describeWrites(writes)}`);
      }
    },
    onClose: options.onClose,
  });
}

function describeWrites(writes: readonly ResourceWrite[]): string {
  const [first] = writes;
  if (first === undefined) return 'nothing';
  const one = `${first.key.kind} ${first.key.name}`;
  return writes.length === 1 ? one : `${one} and ${writes.length - 1} more resources`;
}
