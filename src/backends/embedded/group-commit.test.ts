import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isMeshError } from '../../core/errors.js';
import { openDatabase, DB_FILE, type Db } from './database.js';
import { GroupCommitter, type CommitStats } from './group-commit.js';

function withDb(fn: (db: Db, dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cemesh-gc-'));
    const db = openDatabase(dir, 64 * 1024 * 1024);
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    try {
      await fn(db, dir);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const insert = (db: Db, v: string) => () => void db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
const count = (db: Db) => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

test(
  'writes submitted in the same turn share one commit, and each resolves after it',
  withDb(async (db, dir) => {
    const commits: CommitStats[] = [];
    const committer = new GroupCommitter(db, { onCommit: (s) => commits.push(s) });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => committer.submit({ what: 'w', rows: 1, run: insert(db, `${i}`) })),
    );
    assert.equal(commits.length, 1);
    assert.equal(commits[0]?.jobs, 50);
    // Another connection sees the rows: they are committed, not just written in our transaction.
    const other = new Database(join(dir, DB_FILE), { readonly: true });
    assert.equal((other.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 50);
    other.close();
  }),
);

test(
  'without group commit every write commits alone',
  withDb(async (db) => {
    const commits: CommitStats[] = [];
    const committer = new GroupCommitter(db, { enabled: false, onCommit: (s) => commits.push(s) });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => committer.submit({ what: 'w', rows: 1, run: insert(db, `${i}`) })),
    );
    assert.deepEqual(
      commits.map((c) => c.jobs),
      [1, 1, 1, 1, 1],
    );
  }),
);

test(
  'a transaction holds at most maxRows rows; the rest commits in the next turn',
  withDb(async (db) => {
    const commits: CommitStats[] = [];
    const committer = new GroupCommitter(db, { maxRows: 6, onCommit: (s) => commits.push(s) });
    await Promise.all(
      Array.from({ length: 5 }, () => committer.submit({ what: 'w', rows: 3, run: insert(db, 'x') })),
    );
    assert.deepEqual(
      commits.map((c) => c.rows),
      [6, 6, 3],
    );
    assert.equal(count(db), 5);
  }),
);

test(
  'a write that fails is rolled back and rejected alone; the others of its commit are stored',
  withDb(async (db) => {
    const committer = new GroupCommitter(db);
    const results = await Promise.allSettled([
      committer.submit({ what: 'a', rows: 1, run: insert(db, 'a') }),
      committer.submit({
        what: 'bad',
        rows: 2,
        run: () => {
          insert(db, 'half')();
          db.prepare('INSERT INTO t (v) VALUES (NULL)').run();
        },
      }),
      committer.submit({ what: 'c', rows: 1, run: insert(db, 'c') }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const rejected = results[1] as PromiseRejectedResult;
    assert.ok(isMeshError(rejected.reason) && rejected.reason.code === 'MESH_BACKEND_UNAVAILABLE');
    assert.deepEqual(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all(), ['a', 'c']);
  }),
);

test(
  'a failing commit rejects exactly its callers and stores none of their writes',
  withDb(async (db) => {
    const committer = new GroupCommitter(db);
    const first = [
      committer.submit({ what: 'a', rows: 1, run: insert(db, 'a') }),
      committer.submit({
        what: 'breaks the commit',
        rows: 1,
        isolated: false,
        run: () => {
          throw new Error('disk gone');
        },
      }),
    ];
    const settled = await Promise.allSettled(first);
    assert.deepEqual(
      settled.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    await committer.submit({ what: 'later', rows: 1, run: insert(db, 'later') });
    assert.deepEqual(db.prepare('SELECT v FROM t').pluck().all(), ['later']);
  }),
);

test(
  'close commits what is queued and refuses later writes',
  withDb(async (db) => {
    const committer = new GroupCommitter(db);
    const queued = committer.submit({ what: 'w', rows: 1, run: insert(db, 'queued') });
    committer.close();
    await queued;
    assert.equal(count(db), 1);
    await assert.rejects(committer.submit({ what: 'w', rows: 1, run: insert(db, 'late') }), /closed/);
  }),
);

test(
  'with a durable hook a write resolves only once the hook says its commit is on disk; its effects run at once',
  withDb(async (db) => {
    let flushed!: () => void;
    const flush = new Promise<void>((resolve) => (flushed = resolve));
    const committer = new GroupCommitter(db, { durable: () => flush });
    let effect = false;
    let resolved = false;
    const write = committer
      .submit({ what: 'w', rows: 1, run: insert(db, 'a'), after: () => (effect = true) })
      .then(() => (resolved = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(count(db), 1, 'committed');
    assert.equal(effect, true, 'in-memory effects do not wait for the flush');
    assert.equal(resolved, false, 'not acknowledged before the flush');
    flushed();
    await write;
    assert.equal(resolved, true);
  }),
);

test(
  'a write marked durable: false resolves once committed and asks for no flush; beside a durable one only that one waits',
  withDb(async (db) => {
    let flushes = 0;
    let flushed!: () => void;
    const committer = new GroupCommitter(db, {
      durable: () => {
        flushes++;
        return new Promise<void>((resolve) => (flushed = resolve));
      },
    });
    const turns = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    let settled = false;
    void committer
      .submit({ what: 'settle', rows: 1, durable: false, run: insert(db, 'alone') })
      .then(() => (settled = true));
    await turns();
    assert.equal(count(db), 1);
    assert.equal(settled, true, 'resolved without a flush');
    assert.equal(flushes, 0, 'a commit of settlements alone calls no fsync');

    let appended = false;
    let settledBeside = false;
    const append = committer
      .submit({ what: 'append', rows: 1, run: insert(db, 'event') })
      .then(() => (appended = true));
    void committer
      .submit({ what: 'settle', rows: 1, durable: false, run: insert(db, 'beside') })
      .then(() => (settledBeside = true));
    await turns();
    assert.equal(count(db), 3, 'both in the same commit');
    assert.equal(settledBeside, true);
    assert.equal(flushes, 1);
    assert.equal(appended, false, 'the durable write still waits for its flush');
    flushed();
    await append;
    assert.equal(appended, true);
  }),
);

test(
  'a failed flush rejects the writes it was to make durable with MESH_BACKEND_UNAVAILABLE',
  withDb(async (db) => {
    const committer = new GroupCommitter(db, { durable: () => Promise.reject(new Error('EIO')) });
    await assert.rejects(
      committer.submit({ what: 'w', rows: 1, run: insert(db, 'a') }),
      (error: unknown) => isMeshError(error) && error.code === 'MESH_BACKEND_UNAVAILABLE',
    );
  }),
);

test(
  'close flushes what it commits with the blocking hook before resolving',
  withDb(async (db) => {
    const calls: string[] = [];
    const committer = new GroupCommitter(db, {
      durable: () => new Promise<void>(() => calls.push('async')),
      durableNow: () => void calls.push('now'),
    });
    const queued = committer.submit({ what: 'w', rows: 1, run: insert(db, 'queued') });
    committer.close();
    await queued;
    assert.deepEqual(calls, ['now']);
  }),
);
