// The embedded store's promise, tested so that it can fail (issue 14, item 7): the connection that commits
// runs with the durability settings docs/store.md promises, and with every commit delayed by a fault hook, a
// process killed with SIGKILL while commits are pending has every event it answered 202 for in its file.
// Both stay true however the commit is done (in the event loop or a worker): the settings are read from
// the committing connection, and the crash test only sends, kills, and reads the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { openEmbedded } from '../../src/backends/embedded/index.js';
import { startServerProcess } from '../support/process.js';

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

test('the committing connection runs with the journal mode and synchronous level docs/store.md promises', async () => {
  const docs = await readFile(join(import.meta.dirname, '..', '..', 'docs', 'store.md'), 'utf8');
  const promised = /WAL, `synchronous=(OFF|NORMAL|FULL|EXTRA)`/.exec(docs)?.[1];
  assert.ok(promised, 'docs/store.md names the synchronous level');
  assert.notEqual(promised, 'OFF', 'the docs never promise durability without syncing');
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-pragmas-'));
  const opened = await openEmbedded({ dataDir });
  try {
    const { journalMode, synchronous } = opened.durability();
    assert.equal(journalMode, 'wal');
    assert.equal(SYNCHRONOUS[synchronous], promised);
  } finally {
    await opened.backend.close();
    await opened.resources.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('with every commit delayed, a SIGKILL leaves every 202 in the store', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-commit-delay-'));
  const server = await startServerProcess(['--data-dir', dataDir], { CEMESH_FAULT_COMMIT_DELAY_MS: '500' });
  try {
    const admin = new Pool(server.adminUrl);
    const created = await admin.request({
      path: '/apis/eventing.knative.dev/v1/namespaces/default/brokers',
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'eventing.knative.dev/v1',
        kind: 'Broker',
        metadata: { name: 'default' },
      }),
    });
    assert.equal(created.statusCode, 201, await created.body.text());
    await admin.close();
    const ingress = new Pool(server.ingressUrl, { connections: 32 });
    const acknowledged = new Set<string>();
    let sent = 0;
    let stop = false;
    const sender = async (n: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const id = `s${n}-${i}`;
        sent++;
        try {
          const res = await ingress.request({
            path: '/default/default',
            method: 'POST',
            headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/durable', 'ce-type': 't' },
            body: 'x',
          });
          await res.body.dump();
          if (res.statusCode === 202) acknowledged.add(id);
          else if (res.statusCode !== 503) throw new Error(`unexpected ${res.statusCode}`);
          else await new Promise((resolve) => setTimeout(resolve, 50)); // still wiring the broker
        } catch {
          return;
        }
      }
    };
    const senders = Array.from({ length: 32 }, (_, n) => sender(n));
    while (acknowledged.size < 150) await new Promise((resolve) => setTimeout(resolve, 20));
    await server.kill();
    stop = true;
    await Promise.all(senders);
    await ingress.destroy();
    const unanswered = sent - acknowledged.size;
    assert.ok(unanswered > 0, 'the kill came while requests were waiting for their commit');

    const db = new Database(join(dataDir, 'embedded', 'cemesh.db'));
    const stored = new Set(
      (db.prepare('SELECT attributes FROM events').all() as { attributes: string }[]).map((row) =>
        String((JSON.parse(row.attributes) as { id: string }).id),
      ),
    );
    db.close();
    const missing = [...acknowledged].filter((id) => !stored.has(id));
    t.diagnostic(
      `acknowledged ${acknowledged.size}, unanswered at the kill ${unanswered}, stored ${stored.size}`,
    );
    assert.deepEqual(missing, [], `${missing.length} acknowledged events are not in the store`);
  } finally {
    await server.kill().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
});
