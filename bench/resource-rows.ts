// What SQLite spends storing resource objects in the embedded backend's layouts, each with the change log as
// `persist` writes and trims it (a window of 10,000 changes):
// - version 3 and 4: each object's JSON in its own row (a rowid table, unique (kind, namespace, name)) and in
//   the change log;
// - version 5: the JSON in the change log only, the object's row pointing at it by resourceVersion.
// 10,000 triggers created, then each replaced with its status (1.1-1.2 KB), in transactions of 500, WAL with
// synchronous=NORMAL. Milliseconds for the 20,000 writes, their JSON.stringify included.
// Standalone: node --import tsx bench/resource-rows.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const rounds = Number(process.argv[2] ?? 3);
const COUNT = 10_000;
const CHUNK = 500;

const condition = (type: string, reason?: string) => ({
  type,
  status: 'True',
  ...(reason === undefined ? {} : { reason }),
  lastTransitionTime: '2026-12-07T11:17:25.833Z',
});

function trigger(i: number, withStatus: boolean): object {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: {
      name: `t${i}`,
      namespace: 'default',
      labels: { 'eventing.knative.dev/broker': 'default' },
      annotations: { 'eventing.cemesh.dev/max-inflight': '100' },
      uid: '1d71c134-d07b-4038-b043-e26377323feb',
      creationTimestamp: '2026-12-07T11:17:25Z',
      generation: 1,
      resourceVersion: String(i),
    },
    spec: {
      broker: 'default',
      filters: [{ exact: { type: `bench.type.${i}` } }],
      subscriber: { uri: 'http://127.0.0.1:9/' },
    },
    ...(withStatus
      ? {
          status: {
            observedGeneration: 1,
            subscriberUri: 'http://127.0.0.1:9/',
            conditions: [
              condition('Ready'),
              condition('BrokerReady', 'BrokerReady'),
              condition('DeadLetterSinkResolved', 'DeadLetterSinkNotConfigured'),
              condition('SubscriberResolved', 'SubscriberResolved'),
            ],
          },
        }
      : {}),
  };
}

const WINDOW = 10_000;

const LAYOUTS = {
  'version 4':
    'CREATE TABLE resources (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, ' +
    'json TEXT NOT NULL, rv INTEGER NOT NULL, UNIQUE (kind, namespace, name))',
  'version 5':
    'CREATE TABLE resources (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, ' +
    'rv INTEGER NOT NULL, UNIQUE (kind, namespace, name)); CREATE INDEX resources_by_rv ON resources (rv)',
} as const;

function measure(layout: keyof typeof LAYOUTS): number {
  const dir = mkdtempSync(join(tmpdir(), 'cemesh-rows-'));
  const db = new Database(join(dir, 'bench.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(LAYOUTS[layout]);
    db.exec('CREATE TABLE resource_changes (rv INTEGER PRIMARY KEY, type TEXT NOT NULL, json TEXT NOT NULL)');
    const once = layout === 'version 5';
    const upsert = db.prepare(
      once
        ? 'INSERT OR REPLACE INTO resources (kind, namespace, name, rv) VALUES (?, ?, ?, ?)'
        : 'INSERT OR REPLACE INTO resources (kind, namespace, name, json, rv) VALUES (?, ?, ?, ?, ?)',
    );
    const log = db.prepare('INSERT INTO resource_changes (rv, type, json) VALUES (?, ?, ?)');
    const trim = db.prepare(
      once
        ? 'DELETE FROM resource_changes WHERE rv > ? AND rv <= ? AND rv NOT IN (SELECT rv FROM resources)'
        : 'DELETE FROM resource_changes WHERE rv > ? AND rv <= ?',
    );
    let rv = 0;
    let compacted = 0;
    const write = db.transaction((items: readonly [string, object][]) => {
      for (const [name, object] of items) {
        rv++;
        const json = JSON.stringify(object);
        if (once) upsert.run('Trigger', 'default', name, rv);
        else upsert.run('Trigger', 'default', name, json, rv);
        log.run(rv, 'MODIFIED', json);
      }
      if (rv - WINDOW > compacted) {
        trim.run(compacted, rv - WINDOW);
        compacted = rv - WINDOW;
      }
    });
    const started = performance.now();
    for (const withStatus of [false, true]) {
      for (let at = 0; at < COUNT; at += CHUNK) {
        const items: [string, object][] = [];
        for (let i = at; i < at + CHUNK; i++) items.push([`t${i}`, trigger(i, withStatus)]);
        write(items);
      }
    }
    return performance.now() - started;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let round = 1; round <= rounds; round++) {
  const before = measure('version 4');
  const after = measure('version 5');
  console.log(
    `round ${round}: version 4 ${before.toFixed(0)} ms, version 5 ${after.toFixed(0)} ms ` +
      `(${(after / before).toFixed(2)}x) for ${2 * COUNT} writes`,
  );
}
