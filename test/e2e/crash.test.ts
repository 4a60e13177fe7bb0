// The embedded backend's promise (ARCHITECTURE 2.2, 3): an event acknowledged with 202 is never lost, even
// when the process is killed with SIGKILL mid-stream. A child `cemesh serve` takes a stream of events from
// concurrent senders, is killed, and restarts on the same data dir; every acknowledged event must reach the
// subscriber at least once. Duplicates are allowed (at-least-once) and reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { startSubscriber } from '../support/subscriber.js';

async function api(server: ServerProcess, method: 'POST', path: string, body: unknown): Promise<void> {
  const pool = new Pool(server.adminUrl);
  const res = await pool.request({
    path,
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  await pool.close();
  assert.ok(res.statusCode < 300, text);
}

async function waitReady(server: ServerProcess, path: string): Promise<void> {
  const pool = new Pool(server.adminUrl);
  for (let i = 0; i < 100; i++) {
    const res = await pool.request({
      path,
      method: 'GET',
      headers: { authorization: `Bearer ${server.token}` },
    });
    const body = (await res.body.json()) as { status?: { conditions?: { type: string; status: string }[] } };
    if (body.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await pool.close();
}

test('SIGKILL mid-stream loses no acknowledged event', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-crash-'));
  // A slowish subscriber with few deliveries in flight, so a backlog is pending when the process dies.
  const subscriber = await startSubscriber(() => ({ status: 200, delayMs: 2 }));
  let server = await startServerProcess(['--data-dir', dataDir]);
  try {
    await api(server, 'POST', '/apis/eventing.knative.dev/v1/namespaces/default/brokers', {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      metadata: { name: 'default' },
    });
    await api(server, 'POST', '/apis/eventing.knative.dev/v1/namespaces/default/triggers', {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 'all', annotations: { 'eventing.cemesh.dev/max-inflight': '4' } },
      spec: { broker: 'default', subscriber: { uri: subscriber.url } },
    });
    await waitReady(server, '/apis/eventing.knative.dev/v1/namespaces/default/triggers/all');

    const acknowledged = new Set<string>();
    let refused = 0;
    let stop = false;
    const ingress = new Pool(server.ingressUrl, { connections: 8 });
    const body = JSON.stringify({ pad: 'x'.repeat(900) });
    const sender = async (n: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const id = `s${n}-${i}`;
        try {
          const res = await ingress.request({
            path: '/default/default',
            method: 'POST',
            headers: {
              'ce-specversion': '1.0',
              'ce-id': id,
              'ce-source': '/crash',
              'ce-type': 'crash.test',
              'content-type': 'application/json',
            },
            body,
          });
          await res.body.dump();
          if (res.statusCode === 202) acknowledged.add(id);
          else refused++;
        } catch {
          return; // the server is gone: this sender stops, as a real one would retry elsewhere
        }
      }
    };
    const senders = Array.from({ length: 8 }, (_, n) => sender(n));
    // Kill once a good number of events were acknowledged and some are surely still in flight.
    while (acknowledged.size < 1500) await new Promise((resolve) => setTimeout(resolve, 20));
    await server.kill();
    stop = true;
    await Promise.all(senders);
    await ingress.destroy();
    const atKill = subscriber.received.length;

    server = await startServerProcess(['--data-dir', dataDir]);
    const deadline = Date.now() + 30_000;
    const seen = (): Set<string> => new Set(subscriber.received.map((r) => String(r.headers['ce-id'])));
    let missing = [...acknowledged].filter((id) => !seen().has(id));
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = seen();
      missing = missing.filter((id) => !now.has(id));
    }
    const deliveries = subscriber.received.length;
    const unique = seen().size;
    t.diagnostic(
      `acknowledged ${acknowledged.size}, refused ${refused}, delivered before kill ${atKill}, ` +
        `deliveries ${deliveries}, unique ${unique}, duplicates ${deliveries - unique}`,
    );
    assert.deepEqual(missing, [], `${missing.length} acknowledged events never arrived`);
  } finally {
    await server.stop();
    await subscriber.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
