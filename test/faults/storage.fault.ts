// The storage fault cases (`npm run test:faults`, issue 14 item 7): SIGTERM, kill -9 on JetStream, a full
// embedded store, NATS down then up, a broker deleted and the storage defaults changed while events
// arrive. Each counts acknowledged, refused, delivered, dead-lettered, lost and duplicated events
// (accounting.ts) and asserts lost = 0. Figures in docs/faults.md. A kill -9 of a memory-backed server is
// not a case: it loses what it held by definition (202 on memory means "in this process's memory").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { parseAllDocuments } from 'yaml';
import type { Resource } from '../../src/core/resources/object.js';
import { startNatsServer } from '../support/nats.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { quiet } from '../support/subscriber.js';
import { account, recordingSubscriber, send } from './accounting.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const padded = (): string => '{"pad":"' + 'x'.repeat(500) + '"}';

/** Creates a broker and a trigger through the admin API of a server process. */
async function wire(server: ServerProcess, subscriberUrl: string): Promise<void> {
  for (const [path, object] of [
    ['brokers', broker('default')],
    [
      'triggers',
      trigger('t', { broker: 'default', subscriber: { uri: subscriberUrl } }, 'default', {
        'eventing.cemesh.dev/max-inflight': '4',
      }),
    ],
  ] as const) {
    const res = await request(`${server.adminUrl}/apis/eventing.knative.dev/v1/namespaces/default/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(object),
    });
    assert.equal(res.statusCode, 201, await res.body.text());
  }
  await sleep(500);
}

test('embedded: SIGTERM mid-stream drains and exits 0; a restart delivers every acknowledged event', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-fault-term-'));
  const subscriber = await recordingSubscriber(() => ({ status: 200, delayMs: 20 }));
  const args = ['--data-dir', dataDir, '--drain-timeout', 'PT1S'];
  let server = await startServerProcess(args);
  try {
    await wire(server, subscriber.url);
    const sending = send(server.ingressUrl, 3000, padded);
    await sleep(1500);
    assert.equal(await server.stop(), 0, 'SIGTERM ends with exit 0');
    const tally = await sending;
    server = await startServerProcess(args);
    await account(t, 'embedded SIGTERM mid-stream', tally, subscriber, undefined, 30_000);
  } finally {
    await server.stop();
    await subscriber.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('embedded: a full store (--max-store-bytes) answers 507 and keeps every acknowledged event', async (t) => {
  // The subscriber fails until the sending is over, so the events stay in the store and fill it. (A paused
  // trigger would not do: resuming it is a resource write, which a full store refuses too.)
  let sending = true;
  const subscriber = await recordingSubscriber(() => ({ status: sending ? 500 : 200 }));
  const server = await startTestServer({ backend: 'embedded', flags: { maxStoreBytes: 1024 * 1024 } });
  try {
    await server.apply(
      broker('default'),
      trigger('t', {
        broker: 'default',
        subscriber: { uri: subscriber.url },
        delivery: { retry: 100, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' },
      }),
    );
    // 1,000 events of 2 KiB: about twice what 1 MiB holds.
    const tally = await send(server.ingressUrl, 1000, () => '{"pad":"' + 'x'.repeat(2048) + '"}');
    sending = false;
    assert.ok((tally.statuses.get('507') ?? 0) > 0, 'the store filled up and answered 507');
    await account(t, 'embedded disk full (1 MiB quota)', tally, subscriber, undefined, 40_000);
  } finally {
    await server.stop();
    await subscriber.close();
  }
});

test('embedded: Knative InMemoryChannel defaults applied mid-stream leave the broker on embedded', async (t) => {
  const subscriber = await recordingSubscriber(() => ({ status: 200 }));
  const server = await startTestServer({ backend: 'embedded' });
  try {
    await server.apply(
      broker('default'),
      trigger('t', { broker: 'default', subscriber: { uri: subscriber.url } }),
    );
    const sending = send(server.ingressUrl, 1000, () => '{}', { senders: 4, pauseMs: 2 });
    await sleep(300);
    await server.apply(
      ...(await manifests('channel-template.yaml')),
      ...(await manifests('config-br-defaults.yaml')),
    );
    const tally = await sending;
    const status = await server.api(
      'GET',
      '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default',
    );
    assert.equal(status.body.status.persistence.kind, 'embedded', 'the broker kept its storage');
    assert.equal(tally.refused, 0, 'nothing was refused: the broker never stopped');
    await account(t, 'embedded storage defaults changed mid-stream', tally, subscriber);
  } finally {
    await server.stop();
    await subscriber.close();
  }
});

test('embedded: a broker deleted mid-stream drops its pending events with it; nothing is acknowledged after', async (t) => {
  const subscriber = await recordingSubscriber(() => ({ status: 200, delayMs: 5 }));
  const server = await startTestServer({ backend: 'embedded' });
  try {
    await server.apply(
      broker('default'),
      trigger('t', { broker: 'default', subscriber: { uri: subscriber.url } }, 'default', {
        'eventing.cemesh.dev/max-inflight': '2',
      }),
    );
    const sending = send(server.ingressUrl, 1500, () => '{}', { senders: 4 });
    await sleep(500);
    const deleted = await server.api(
      'DELETE',
      '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default',
    );
    assert.equal(deleted.status, 200);
    await server.reconciler.idle();
    // Deleting a broker deletes its events, as deleting a Knative Broker deletes its channel: what was
    // acknowledged before is dropped on purpose. Nothing may be acknowledged once the delete is done.
    const tally = await sending;
    const before = new Set(tally.acknowledged);
    const afterDelete = await send(server.ingressUrl, 20, () => '{}', { prefix: 'late' });
    assert.equal(afterDelete.acknowledged.size, 0, 'a deleted broker acknowledges nothing (404)');
    assert.equal(afterDelete.statuses.get('404'), 20);
    const delivered = subscriber.ok.length;
    await quiet(500);
    assert.ok(subscriber.ok.length - delivered <= 2, 'no delivery of the dropped events goes on');
    await account(t, 'embedded broker deleted mid-stream', tally, subscriber, undefined, 2_000, before);
  } finally {
    await server.stop();
    await subscriber.close();
  }
});

test('jetstream: kill -9 under load, restart, every acknowledged event delivered', async (t) => {
  const nats = await startNatsServer();
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-fault-js-kill-'));
  const subscriber = await recordingSubscriber(() => ({ status: 200, delayMs: 2 }));
  const args = ['--data-dir', dataDir, '--backend', 'jetstream', '--nats', nats.url];
  let server = await startServerProcess(args);
  try {
    await wire(server, subscriber.url);
    const sending = send(server.ingressUrl, 3000, padded);
    await sleep(1500);
    await server.kill();
    const tally = await sending;
    server = await startServerProcess(args);
    await account(t, 'jetstream kill -9 under load', tally, subscriber, undefined, 40_000);
  } finally {
    await server.stop();
    await subscriber.close();
    await nats.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('jetstream: NATS down then up mid-stream: ingress refuses meanwhile, nothing acknowledged is lost', async (t) => {
  const nats = await startNatsServer();
  const subscriber = await recordingSubscriber(() => ({ status: 200 }));
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ flags: { backend: 'jetstream', nats: nats.url } });
    await server.apply(
      broker('default'),
      trigger('t', { broker: 'default', subscriber: { uri: subscriber.url } }),
    );
    const sending = send(server.ingressUrl, 1500, () => '{}', { senders: 4, pauseMs: 2 });
    await sleep(400);
    await nats.stop();
    await sleep(1500);
    await nats.start();
    const tally = await sending;
    assert.ok(tally.refused > 0, 'ingress refused while NATS was down');
    await account(t, 'jetstream NATS down then up', tally, subscriber, undefined, 40_000);
  } finally {
    await server?.stop();
    await subscriber.close();
    await nats.dispose();
  }
});

async function manifests(file: string): Promise<Resource[]> {
  const text = await readFile(join(import.meta.dirname, '..', 'manifests', file), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJSON() as Resource);
}
