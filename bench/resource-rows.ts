// What SQLite spends storing resource objects in the embedded backend's two layouts: the objects table
// WITHOUT ROWID (schema version 2) against a rowid table with a unique (kind, namespace, name) (version 3),
// each beside the change log as `persist` writes them. 10,000 triggers created, then each replaced with its
// status (1.1-1.2 KB), in transactions of 500, WAL with synchronous=NORMAL. Milliseconds for the 20,000 writes.
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

function objectJson(i: number, withStatus: boolean): string {
  return JSON.stringify({
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
  });
}

const LAYOUTS = {
  'without rowid':
    'CREATE TABLE resources (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL, ' +
    'rv INTEGER NOT NULL, PRIMARY KEY (kind, namespace, name)) WITHOUT ROWID',
  rowid:
    'CREATE TABLE resources (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, ' +
    'json TEXT NOT NULL, rv INTEGER NOT NULL, UNIQUE (kind, namespace, name))',
} as const;

function measure(layout: keyof typeof LAYOUTS): number {
  const dir = mkdtempSync(join(tmpdir(), 'cemesh-rows-'));
  const db = new Database(join(dir, 'bench.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(LAYOUTS[layout]);
    db.exec('CREATE TABLE resource_changes (rv INTEGER PRIMARY KEY, type TEXT NOT NULL, json TEXT NOT NULL)');
    const upsert = db.prepare(
      'INSERT OR REPLACE INTO resources (kind, namespace, name, json, rv) VALUES (?, ?, ?, ?, ?)',
    );
    const log = db.prepare('INSERT INTO resource_changes (rv, type, json) VALUES (?, ?, ?)');
    let rv = 0;
    const write = db.transaction((items: readonly [string, string][]) => {
      for (const [name, json] of items) {
        rv++;
        upsert.run('Trigger', 'default', name, json, rv);
        log.run(rv, 'MODIFIED', json);
      }
    });
    const started = performance.now();
    for (const withStatus of [false, true]) {
      for (let at = 0; at < COUNT; at += CHUNK) {
        const items: [string, string][] = [];
        for (let i = at; i < at + CHUNK; i++) items.push([`t${i}`, objectJson(i, withStatus)]);
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
  const without = measure('without rowid');
  const rowid = measure('rowid');
  console.log(
    `round ${round}: WITHOUT ROWID ${without.toFixed(0)} ms, rowid ${rowid.toFixed(0)} ms ` +
      `(${(rowid / without).toFixed(2)}x) for ${2 * COUNT} writes`,
  );
}
