// The fault suite (`npm run test:faults`, issue 14 item 7): each case sends events through the public
// ingress while something goes wrong, then counts what was acknowledged (202), delivered to the subscriber,
// dead-lettered, lost (acknowledged, never delivered nor dead-lettered) and duplicated, and asserts lost = 0.
// The figures are printed as diagnostics and recorded in docs/faults.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { broker, startTestServer, trigger } from '../support/server.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { startSubscriber, type Answer, type Subscriber } from '../support/subscriber.js';

interface Tally {
  acknowledged: Set<string>;
  refused: number;
}

async function send(
  ingressUrl: string,
  count: number,
  body: (i: number) => string,
  senders = 8,
): Promise<Tally> {
  const tally: Tally = { acknowledged: new Set(), refused: 0 };
  const pool = new Pool(ingressUrl, { connections: senders });
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let i = next++; i < count; i = next++) {
        try {
          const res = await pool.request({
            path: '/default/default',
            method: 'POST',
            headers: {
              'ce-specversion': '1.0',
              'ce-id': `e${i}`,
              'ce-source': '/faults',
              'ce-type': 'fault',
            },
            body: body(i),
          });
          await res.body.dump();
          if (res.statusCode === 202) tally.acknowledged.add(`e${i}`);
          else tally.refused++;
        } catch {
          tally.refused++;
          return;
        }
      }
    }),
  );
  await pool.destroy();
  return tally;
}

/** A subscriber that records which events it answered with a 2xx (a delivery), and how often. */
async function recordingSubscriber(answer: (n: number) => Answer): Promise<Subscriber & { ok: string[] }> {
  const ok: string[] = [];
  const subscriber = await startSubscriber((n, received) => {
    const reply = answer(n);
    if (reply.status < 300 && !(reply.delayMs && reply.delayMs > 1000))
      ok.push(String(received.headers['ce-id']));
    return reply;
  });
  return Object.assign(subscriber, { ok });
}

/** Waits until every acknowledged event reached the subscriber or the sink, then counts and asserts lost = 0. */
async function account(
  t: { diagnostic(message: string): void },
  name: string,
  tally: Tally,
  subscriber: { ok: string[] },
  sink?: { ok: string[] },
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const reached = (): Set<string> => new Set([...subscriber.ok, ...(sink?.ok ?? [])]);
  while ([...tally.acknowledged].some((id) => !reached().has(id)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const delivered = new Set(subscriber.ok);
  const deadLettered = new Set(sink?.ok ?? []);
  const lost = [...tally.acknowledged].filter((id) => !delivered.has(id) && !deadLettered.has(id));
  const duplicated = subscriber.ok.length - delivered.size + (sink?.ok.length ?? 0) - deadLettered.size;
  t.diagnostic(
    `${name}: acknowledged ${tally.acknowledged.size}, refused ${tally.refused}, delivered ${delivered.size}, ` +
      `dead-lettered ${deadLettered.size}, lost ${lost.length}, duplicated ${duplicated}`,
  );
  assert.deepEqual(lost, [], `${name}: ${lost.length} acknowledged events lost`);
}

async function withServer(
  backend: 'memory' | 'embedded',
  answer: (n: number) => Answer,
  delivery: Record<string, unknown>,
  run: (ingressUrl: string, subscriber: { ok: string[] }, sink: { ok: string[] }) => Promise<void>,
): Promise<void> {
  const subscriber = await recordingSubscriber(answer);
  const sink = await recordingSubscriber(() => ({ status: 200 }));
  const server = await startTestServer({ backend });
  try {
    await server.apply(
      broker('default'),
      trigger('t', {
        broker: 'default',
        subscriber: { uri: subscriber.url },
        delivery: { deadLetterSink: { uri: sink.url }, ...delivery },
      }),
    );
    await run(server.ingressUrl, subscriber, sink);
  } finally {
    await server.stop();
    await subscriber.close();
    await sink.close();
  }
}

for (const backend of ['memory', 'embedded'] as const) {
  test(`${backend}: a subscriber answering 500 to every other request, and huge bodies refused`, async (t) => {
    const fast = { retry: 3, backoffPolicy: 'linear', backoffDelay: 'PT0.02S' };
    await withServer(
      backend,
      (n) => ({ status: n % 2 === 0 ? 500 : 200 }),
      fast,
      async (url, sub, sink) => {
        const tally = await send(url, 300, (i) => (i % 50 === 0 ? 'x'.repeat(1024 * 1024 + 1) : '{"n":1}'));
        assert.equal(tally.refused, 6, 'the six bodies over 1 MiB are refused (413), the rest acknowledged');
        await account(t, `${backend} 500s + huge bodies`, tally, sub, sink);
      },
    );
  });

  test(`${backend}: a subscriber that hangs past the timeout is dead-lettered, nothing lost`, async (t) => {
    const hanging = { retry: 1, backoffPolicy: 'linear', backoffDelay: 'PT0.02S', timeout: 'PT0.2S' };
    await withServer(
      backend,
      () => ({ status: 200, delayMs: 5_000 }),
      hanging,
      async (url, sub, sink) => {
        const tally = await send(url, 40, () => '{}');
        await account(t, `${backend} hanging subscriber`, tally, sub, sink);
      },
    );
  });
}

test('embedded: kill -9 under load, restart, every acknowledged event delivered', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-fault-kill-'));
  const subscriber = await recordingSubscriber(() => ({ status: 200, delayMs: 2 }));
  let server: ServerProcess = await startServerProcess(['--data-dir', dataDir]);
  try {
    const admin = new Pool(server.adminUrl);
    for (const [path, object] of [
      ['brokers', { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default' } }],
      [
        'triggers',
        {
          apiVersion: 'eventing.knative.dev/v1',
          kind: 'Trigger',
          metadata: { name: 't', annotations: { 'eventing.cemesh.dev/max-inflight': '4' } },
          spec: { broker: 'default', subscriber: { uri: subscriber.url } },
        },
      ],
    ] as const) {
      const res = await admin.request({
        path: `/apis/eventing.knative.dev/v1/namespaces/default/${path}`,
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(object),
      });
      assert.equal(res.statusCode, 201, await res.body.text());
    }
    await admin.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sending = send(server.ingressUrl, 3000, () => '{"pad":"' + 'x'.repeat(500) + '"}');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.kill();
    const tally = await sending;
    server = await startServerProcess(['--data-dir', dataDir]);
    await account(t, 'embedded kill -9 under load', tally, subscriber, undefined, 30_000);
  } finally {
    await server.stop();
    await subscriber.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
