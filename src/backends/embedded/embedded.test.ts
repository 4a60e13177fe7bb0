// Embedded-only guarantees beyond the shared conformance suite: disk full, retention, restart details,
// schema versioning and the durability settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { isMeshError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/object.js';
import type { Backend, BrokerStore, DeliveryQueue, Lease, ResourceStore } from '../../store/contracts.js';
import { openEmbedded, type EmbeddedOptions } from './index.js';
import { DB_FILE, SCHEMA_VERSION } from './database.js';
import { EVENT_ID_BLOCK } from './statements.js';

const ref = { namespace: 'ns', name: 'default' };

function event(id: string, bytes = 16): CloudEvent {
  return {
    attributes: { specversion: '1.0', id, source: '/t', type: 't' },
    data: new Uint8Array(bytes).fill(65),
  };
}

function inTempDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cemesh-embedded-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

async function open(options: EmbeddedOptions): Promise<Backend> {
  const { backend, resources } = await openEmbedded(options);
  await resources.close();
  return backend;
}

async function leaseFor(queue: DeliveryQueue, waitMs: number, max = 1000): Promise<Lease[]> {
  // A ref'd timer (AbortSignal.timeout's is not) keeps the test alive while the lease waits.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), waitMs);
  try {
    return await queue.lease({ max, leaseMs: 30_000, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

test(
  'an append is acknowledged only after an fdatasync of the WAL that started after its commit',
  inTempDir(async (dir) => {
    const log: string[] = [];
    const { backend, resources } = await openEmbedded({
      dataDir: dir,
      onCommit: () => log.push('commit'),
      onSync: () => log.push('fdatasync'),
    });
    await resources.close();
    const store = await backend.broker(ref);
    log.length = 0;
    await store.append([{ event: event('a'), queues: ['q'] }]);
    log.push('acknowledged');
    assert.deepEqual(log, ['commit', 'fdatasync', 'acknowledged']);
    await backend.close();
  }),
);

/** What sqlite_sequence holds for the events table, and the largest stored event id. */
function eventIds(dir: string): { reserved: number; largest: number } {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    return {
      reserved: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck().get() as number,
      largest: db.prepare('SELECT max(id) FROM events').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

test(
  'event seqs are reserved a block at a time, not written by every append, and never reused after a restart',
  inTempDir(async (dir) => {
    const first = await open({ dataDir: dir });
    const broker = await first.broker(ref);
    for (const id of ['a', 'b', 'c']) await broker.append([{ event: event(id), queues: ['q'] }]);
    const leased = await leaseFor(broker.queue('q'), 1000);
    assert.deepEqual(
      leased.map((l) => l.seq),
      [1, 2, 3],
    );
    await first.close();
    // Plain AUTOINCREMENT would hold 3 here, rewritten by each of the three commits.
    assert.deepEqual(eventIds(dir), { reserved: EVENT_ID_BLOCK, largest: 3 });

    // The newest events gone (as a dropped broker takes them): their seqs still are not handed out again.
    const db = new Database(join(dir, DB_FILE));
    db.exec('DELETE FROM deliveries; DELETE FROM events');
    db.close();
    const second = await open({ dataDir: dir });
    const again = await second.broker(ref);
    await again.append(
      Array.from({ length: EVENT_ID_BLOCK + 2 }, (_, i) => ({ event: event(`n${i}`), queues: ['q'] })),
    );
    const seqs = (await leaseFor(again.queue('q'), 1000, 1)).map((l) => l.seq);
    assert.deepEqual(seqs, [EVENT_ID_BLOCK + 1]);
    await second.close();
    // The batch took seqs 1,025 to 2,050: a reservation at its first seq and one at 2,049, none in between.
    assert.deepEqual(eventIds(dir), { reserved: 3 * EVENT_ID_BLOCK, largest: 2 * EVENT_ID_BLOCK + 2 });
  }),
);

test(
  'a resource change is flushed to disk before the store returns',
  inTempDir(async (dir) => {
    const syncs: number[] = [];
    const { backend, resources } = await openEmbedded({ dataDir: dir, onSync: (s) => syncs.push(s.ms) });
    await resources.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    assert.equal(syncs.length, 1);
    await resources.close();
    await backend.close();
  }),
);

test(
  'the data file is <dataDir>/cemesh.db in WAL mode at the current schema version',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: join(dir, 'nested') });
    await backend.close();
    const path = join(dir, 'nested', DB_FILE);
    assert.ok(existsSync(path));
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    db.close();
  }),
);

/** Rewrites the closed data file in `dir` (`layout`) and marks it with schema `version`, as an older server left it. */
function asVersion(dir: string, version: number, layout: (db: Database.Database) => void = () => {}): void {
  const db = new Database(join(dir, DB_FILE));
  try {
    layout(db);
    db.pragma(`user_version = ${version}`);
  } finally {
    db.close();
  }
}

test(
  'a data file from before the objects table had a rowid is migrated with its objects and change log',
  inTempDir(async (dir) => {
    const first = await openEmbedded({ dataDir: dir });
    const trigger = {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 't1', namespace: 'default' },
      spec: { broker: 'default', note: 'x'.repeat(1500) },
    };
    await first.resources.create(trigger);
    await first.resources.close();
    await first.backend.close();
    // The layout before the last migration: the objects in a WITHOUT ROWID table.
    asVersion(dir, 2, (db) =>
      db.exec(`
        CREATE TABLE old_resources (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
          json TEXT NOT NULL, rv INTEGER NOT NULL, PRIMARY KEY (kind, namespace, name)) WITHOUT ROWID;
        INSERT INTO old_resources SELECT r.kind, r.namespace, r.name, c.json, r.rv
          FROM resources r JOIN resource_changes c ON c.rv = r.rv;
        DROP TABLE resources;
        ALTER TABLE old_resources RENAME TO resources;
      `),
    );
    const reopened = await openEmbedded({ dataDir: dir });
    try {
      const stored = await reopened.resources.get({ kind: 'Trigger', namespace: 'default', name: 't1' });
      assert.deepEqual(stored?.spec, trigger.spec);
      assert.equal(stored?.metadata.resourceVersion, '1');
      await reopened.resources.replace({ ...stored!, spec: { broker: 'default' } });
      const changes = reopened.resources.watch({ since: '0', signal: AbortSignal.timeout(5000) });
      const seen: string[] = [];
      for await (const change of changes) {
        seen.push(`${change.type} ${change.object.metadata.resourceVersion}`);
        if (seen.length === 2) break;
      }
      assert.deepEqual(seen, ['ADDED 1', 'MODIFIED 2']);
    } finally {
      await reopened.resources.close();
      await reopened.backend.close();
    }
    const migrated = new Database(join(dir, DB_FILE), { readonly: true });
    const { sql } = migrated.prepare("SELECT sql FROM sqlite_master WHERE name = 'resources'").get() as {
      sql: string;
    };
    assert.equal(migrated.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    migrated.close();
    assert.doesNotMatch(sql, /WITHOUT ROWID/);
  }),
);

/** A backend on `dir` whose broker holds e1 for queues q1 and q2, and e2 for q1. */
async function withTwoEvents(dir: string): Promise<{ first: Backend; broker: BrokerStore }> {
  const first = await open({ dataDir: dir });
  const broker = await first.broker(ref);
  await broker.append([
    { event: event('e1'), queues: ['q1', 'q2'] },
    { event: event('e2'), queues: ['q1'] },
  ]);
  return { first, broker };
}

test(
  'a data file with the deliveries_by_queue index loses it, keeps its deliveries, and still drops a queue alone',
  inTempDir(async (dir) => {
    const { first } = await withTwoEvents(dir);
    await first.close();
    // The layout of version 3: pending deliveries indexed by (broker, queue) as well.
    asVersion(dir, 3, (db) => {
      withDeliveriesInARowidTable(db);
      db.exec('CREATE INDEX deliveries_by_queue ON deliveries (broker, queue)');
      withObjectsInTheirOwnRows(db);
    });
    const reopened = await open({ dataDir: dir });
    try {
      const store = await reopened.broker(ref);
      await store.dropQueue('q1');
      const q2 = await leaseFor(store.queue('q2'), 1000);
      assert.deepEqual(
        q2.map((l) => l.event.attributes.id),
        ['e1'],
      );
      assert.deepEqual(await leaseFor(store.queue('q1'), 50), []);
    } finally {
      await reopened.close();
    }
    const migrated = new Database(join(dir, DB_FILE), { readonly: true });
    const indexes = migrated
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries'")
      .pluck()
      .all();
    assert.equal(migrated.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual(indexes, []);
    assert.equal(migrated.prepare('SELECT count(*) FROM deliveries').pluck().get(), 1);
    migrated.close();
  }),
);

/** The deliveries table of schema versions 1 to 5: a rowid table with an index by event beside it. */
function withDeliveriesInARowidTable(db: Database.Database): void {
  db.exec(`
    CREATE TABLE old_deliveries (id INTEGER PRIMARY KEY, broker INTEGER NOT NULL, queue TEXT NOT NULL,
      event INTEGER NOT NULL, attempt INTEGER NOT NULL, due INTEGER NOT NULL);
    INSERT INTO old_deliveries SELECT id, broker, queue, event, attempt, due FROM deliveries;
    DROP TABLE deliveries;
    ALTER TABLE old_deliveries RENAME TO deliveries;
    CREATE INDEX deliveries_by_event ON deliveries (event);
  `);
}

test(
  'a data file with deliveries in a rowid table is migrated: each keeps its queue and attempts, and settles',
  inTempDir(async (dir) => {
    const { first, broker } = await withTwoEvents(dir);
    const [leased] = await leaseFor(broker.queue('q2'), 1000);
    await leased!.nak(0);
    await first.close();
    asVersion(dir, 5, withDeliveriesInARowidTable);
    const reopened = await open({ dataDir: dir });
    try {
      const store = await reopened.broker(ref);
      const q1 = await leaseFor(store.queue('q1'), 1000);
      assert.deepEqual(
        q1.map((l) => l.event.attributes.id),
        ['e1', 'e2'],
      );
      const q2 = await leaseFor(store.queue('q2'), 1000);
      assert.deepEqual(
        q2.map((l) => [l.event.attributes.id, l.attempt]),
        [['e1', 2]],
      );
      for (const lease of [...q1, ...q2]) await lease.ack();
      // A delivery appended after the migration takes an id above the migrated ones.
      await store.append([{ event: event('e3'), queues: ['q1'] }]);
    } finally {
      await reopened.close();
    }
    const migrated = new Database(join(dir, DB_FILE), { readonly: true });
    assert.equal(migrated.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const { sql } = migrated.prepare("SELECT sql FROM sqlite_master WHERE name = 'deliveries'").get() as {
      sql: string;
    };
    assert.match(sql, /WITHOUT ROWID/);
    const rows = migrated.prepare('SELECT id, queue FROM deliveries').all() as {
      id: number;
      queue: string;
    }[];
    migrated.close();
    assert.equal(rows.length, 1, 'the acked deliveries are gone; the new one is stored');
    assert.ok(rows[0]!.id > 3, `the new delivery's id ${rows[0]!.id} is above the three migrated ones`);
  }),
);

/** The objects table of schema versions 3 and 4: each object's JSON in its own row as well as in the log. */
function withObjectsInTheirOwnRows(db: Database.Database): void {
  db.exec(`
    CREATE TABLE old_resources (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL,
      name TEXT NOT NULL, json TEXT NOT NULL, rv INTEGER NOT NULL, UNIQUE (kind, namespace, name));
    INSERT INTO old_resources (kind, namespace, name, json, rv)
      SELECT r.kind, r.namespace, r.name, c.json, r.rv FROM resources r JOIN resource_changes c ON c.rv = r.rv;
    DROP TABLE resources;
    ALTER TABLE old_resources RENAME TO resources;
  `);
}

test(
  'a data file with each object stored in its own row too is migrated: objects, log and watch resume kept',
  inTempDir(async (dir) => {
    const first = await openEmbedded({ dataDir: dir, changeLogSize: 3 });
    const kept = await first.resources.create(namespace('kept'));
    for (const name of ['a', 'b', 'c']) await first.resources.create(namespace(name));
    const since = first.resources.currentVersion();
    await first.resources.create(namespace('d'));
    await first.resources.close();
    await first.backend.close();
    asVersion(dir, 4, (db) => {
      withObjectsInTheirOwnRows(db);
      // Version 4 trimmed the log without regard to the objects: kept's change (rv 1) is gone.
      db.exec('DELETE FROM resource_changes WHERE rv = 1');
    });
    const reopened = await openEmbedded({ dataDir: dir, changeLogSize: 3 });
    try {
      assert.deepEqual(await reopened.resources.get({ kind: 'Namespace', name: 'kept' }), kept);
      const names = (await reopened.resources.list('Namespace')).map((n) => n.metadata.name);
      assert.deepEqual(names, ['a', 'b', 'c', 'd', 'kept']);
      const [resumed] = await takeChanges(reopened.resources, since, 1);
      assert.equal(resumed, 'ADDED d');
    } finally {
      await reopened.resources.close();
      await reopened.backend.close();
    }
    const migrated = new Database(join(dir, DB_FILE), { readonly: true });
    assert.equal(migrated.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const columns = migrated.prepare("SELECT name FROM pragma_table_info('resources')").pluck().all();
    assert.deepEqual(columns, ['id', 'kind', 'namespace', 'name', 'rv']);
    migrated.close();
  }),
);

test(
  "each object's JSON is stored once, and the log keeps past its window only the rows objects point at",
  inTempDir(async (dir) => {
    const logged = (): number[] => {
      const db = new Database(join(dir, DB_FILE), { readonly: true });
      try {
        return db.prepare('SELECT rv FROM resource_changes ORDER BY rv').pluck().all() as number[];
      } finally {
        db.close();
      }
    };
    let opened = await openEmbedded({ dataDir: dir, changeLogSize: 5 });
    const store = (): typeof opened.resources => opened.resources;
    const reopen = async (): Promise<void> => {
      await opened.resources.close();
      await opened.backend.close();
      opened = await openEmbedded({ dataDir: dir, changeLogSize: 5 });
    };
    try {
      const old = await store().create(namespace('old'));
      const doomed = await store().create(namespace('doomed'));
      let moving = await store().create(namespace('moving'));
      for (let i = 0; i < 20; i++) moving = await store().replace({ ...moving, spec: { i } });
      // The window (rv 19-23) and the rows of the two objects whose last write it passed: old's and doomed's.
      assert.deepEqual(logged(), [1, 2, 19, 20, 21, 22, 23]);
      await reopen();
      assert.deepEqual(await store().get({ kind: 'Namespace', name: 'old' }), old);
      assert.deepEqual(await store().get({ kind: 'Namespace', name: 'doomed' }), doomed);
      await store().delete({ kind: 'Namespace', name: 'doomed' });
      moving = await store().replace({ ...moving, spec: { i: 'last' } });
      for (let i = 0; i < 10; i++) await store().create(namespace(`n${i}`));
      // doomed's row went with it. The window is rv 31-35 (n5-n9); old's, moving's (25) and n0-n4's (26-30)
      // are the rows of objects whose last write it passed.
      assert.deepEqual(logged(), [1, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35]);
      await reopen();
      assert.deepEqual(await store().get({ kind: 'Namespace', name: 'old' }), old);
      assert.deepEqual(await store().get({ kind: 'Namespace', name: 'moving' }), moving);
      assert.equal(await store().get({ kind: 'Namespace', name: 'doomed' }), undefined);
      assert.equal((await store().list('Namespace')).length, 12);
    } finally {
      await opened.resources.close();
      await opened.backend.close();
    }
  }),
);

function namespace(name: string): Resource {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

async function takeChanges(store: ResourceStore, since: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const change of store.watch({ since, signal: AbortSignal.timeout(5000) })) {
    seen.push(`${change.type} ${change.object.metadata.name}`);
    if (seen.length === count) break;
  }
  return seen;
}

test(
  'a data file from a newer schema version is refused with MESH_BACKEND_UNAVAILABLE',
  inTempDir(async (dir) => {
    await (await open({ dataDir: dir })).close();
    asVersion(dir, SCHEMA_VERSION + 1);
    await assert.rejects(
      openEmbedded({ dataDir: dir }),
      (e) => isMeshError(e) && e.code === 'MESH_BACKEND_UNAVAILABLE',
    );
  }),
);

test(
  'when the store would exceed maxBytes, append rejects with MESH_BACKEND_FULL and nothing acknowledged is lost',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: dir, maxBytes: 400 * 1024 });
    const broker = await backend.broker(ref);
    const acknowledged: string[] = [];
    let full: unknown;
    for (let i = 0; i < 1000 && full === undefined; i++) {
      const batch = Array.from({ length: 10 }, (_, j) => ({
        event: event(`${i}-${j}`, 1024),
        queues: ['q'],
      }));
      try {
        await broker.append(batch);
        acknowledged.push(...batch.map((b) => String(b.event.attributes['id'])));
      } catch (error) {
        full = error;
      }
    }
    assert.ok(isMeshError(full) && full.code === 'MESH_BACKEND_FULL', `rejected with ${String(full)}`);
    assert.ok(acknowledged.length > 50);
    await backend.close();
    const reopened = await open({ dataDir: dir, maxBytes: 400 * 1024 });
    const leases = await leaseFor((await reopened.broker(ref)).queue('q'), 1000, 10_000);
    assert.deepEqual(
      leases.map((l) => String(l.event.attributes['id'])),
      acknowledged,
    );
    await reopened.close();
  }),
);

test(
  'space freed by delivered, expired events is used again',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: dir, maxBytes: 256 * 1024, retentionMs: 0, compactEveryMs: 5 });
    const broker = await backend.broker(ref);
    const fill = async (): Promise<number> => {
      for (let i = 0; ; i += 4) {
        try {
          await broker.append([0, 1, 2, 3].map((j) => ({ event: event(`${i + j}`, 2048), queues: ['q'] })));
        } catch {
          return i;
        }
      }
    };
    const first = await fill();
    for (const lease of await leaseFor(broker.queue('q'), 1000, 10_000)) await lease.ack();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok((await fill()) >= first / 2, 'appends succeed again after compaction');
    await backend.close();
  }),
);

test(
  'retention: events past retentionMs are compacted unless they still have pending deliveries',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: dir, retentionMs: 30, compactEveryMs: 10 });
    const broker = await backend.broker(ref);
    await broker.append([
      { event: event('delivered'), queues: ['q'] },
      { event: event('pending'), queues: ['slow'] },
      { event: event('unrouted'), queues: [] },
    ]);
    for (const lease of await leaseFor(broker.queue('q'), 1000)) await lease.ack();
    await new Promise((resolve) => setTimeout(resolve, 120));
    const replayed: string[] = [];
    await broker.replay('r', new Date(0), (e) => replayed.push(String(e.attributes['id'])) > 0);
    assert.deepEqual(replayed, ['pending'], 'only the event still pending for "slow" is left');
    const slow = await leaseFor(broker.queue('slow'), 1000);
    assert.deepEqual(
      slow.map((l) => String(l.event.attributes['id'])),
      ['pending'],
    );
    await backend.close();
  }),
);

test(
  'a nak survives a restart: the delivery keeps its due time and attempt count',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: dir, leaseSweepMs: 1 });
    const broker = await backend.broker(ref);
    await broker.append([{ event: event('a'), queues: ['q'] }]);
    const [lease] = await leaseFor(broker.queue('q'), 1000);
    const before = Date.now();
    await lease!.nak(600);
    const after = Date.now();
    await backend.close();
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    const row = db.prepare('SELECT attempt, due FROM deliveries').get() as { attempt: number; due: number };
    db.close();
    assert.equal(row.attempt, 1);
    assert.ok(row.due >= before + 600 && row.due <= after + 600, 'the due time is stored');
    const reopened = await open({ dataDir: dir, leaseSweepMs: 1 });
    const [again] = await leaseFor((await reopened.broker(ref)).queue('q'), 3000);
    assert.ok(Date.now() >= row.due, 'not handed out before it is due');
    assert.equal(again!.attempt, 2);
    await reopened.close();
  }),
);

test(
  'close commits appends still waiting for their group commit',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: dir });
    const broker = await backend.broker(ref);
    const appended = broker.append([{ event: event('in-flight'), queues: ['q'] }]);
    await backend.close();
    await appended;
    const reopened = await open({ dataDir: dir });
    const leases = await leaseFor((await reopened.broker(ref)).queue('q'), 1000);
    assert.deepEqual(
      leases.map((l) => String(l.event.attributes['id'])),
      ['in-flight'],
    );
    await reopened.close();
  }),
);

test(
  'a dropped broker stays dropped after a restart, and its name can be used again',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: dir });
    await (await backend.broker(ref)).append([{ event: event('old'), queues: ['q'] }]);
    await backend.dropBroker(ref);
    await (await backend.broker(ref)).append([{ event: event('new'), queues: ['q'] }]);
    await backend.close();
    const reopened = await open({ dataDir: dir });
    const broker = await reopened.broker(ref);
    const leases = await leaseFor(broker.queue('q'), 1000);
    assert.deepEqual(
      leases.map((l) => String(l.event.attributes['id'])),
      ['new'],
    );
    assert.equal(await broker.replay('r', new Date(0), () => true), 1);
    await reopened.close();
  }),
);

test(
  'events leased straight after their append and events read back from disk are the same events',
  inTempDir(async (dir) => {
    const backend = await open({ dataDir: dir });
    const store = await backend.broker(ref);
    // More than a queue keeps in memory for the first lease, so both paths are taken.
    const sent = Array.from({ length: 200 }, (_, i) => ({
      event: { ...event(`e-${i}`, 8), attributes: { ...event(`e-${i}`).attributes, n: i, ok: true } },
      queues: ['q'],
    }));
    for (const item of sent) await store.append([item]);
    const leases: Lease[] = [];
    while (leases.length < sent.length) leases.push(...(await leaseFor(store.queue('q'), 1000, 64)));
    assert.deepEqual(
      leases.map((l) => l.event),
      sent.map((s) => s.event),
    );
    assert.ok(leases.every((l) => l.appendedAt > 0));
    // After a nak the delivery is read from disk: still the same event.
    await leases[0]!.nak(0);
    const [again] = await leaseFor(store.queue('q'), 1000, 1);
    assert.deepEqual(again!.event, sent[0]!.event);
    await backend.close();
  }),
);
