// The fault suite (`npm run test:faults`, issue 14 item 7): each case sends events through the public
// ingress while something goes wrong, then counts what was acknowledged (202), delivered to the subscriber,
// dead-lettered, lost (acknowledged, never delivered nor dead-lettered) and duplicated, and asserts lost = 0
// (the counting is shared with storage.fault.ts, in accounting.ts). Figures in docs/faults.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { broker, startTestServer, trigger } from '../support/server.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import type { Answer } from '../support/subscriber.js';
import { account, recordingSubscriber, send } from './accounting.js';

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
