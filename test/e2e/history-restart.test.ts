// Delivery history survives a restart with the durable backends (issue 14 item 5, issue 17 item 4): a real
// `cemesh serve` delivers an event after two failed attempts, is stopped and started again on the same
// store, and `cemesh describe event ID` still shows every attempt; the API answers exactly as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runCli } from '../support/cli.js';
import { natsServerBinary, startNatsServer, type NatsServer } from '../support/nats.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const MANIFESTS = (subscriber: string): string => `
apiVersion: eventing.knative.dev/v1
kind: Broker
metadata: { name: default, namespace: default }
---
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata: { name: orders, namespace: default }
spec:
  broker: default
  subscriber: { uri: "${subscriber}" }
  delivery: { retry: 3, backoffPolicy: linear, backoffDelay: PT0.05S }
`;

function cli(server: ServerProcess, args: string[], stdin?: string): ReturnType<typeof runCli> {
  return runCli(args, {
    env: { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token },
    ...(stdin === undefined ? {} : { stdin }),
  });
}

async function history(server: ServerProcess, id: string): Promise<any[]> {
  const res = await request(
    `${server.adminUrl}/apis/eventing.knative.dev/v1/namespaces/default/brokers/default/deliveries?id=${id}`,
    { headers: { authorization: `Bearer ${server.token}` } },
  );
  assert.equal(res.statusCode, 200);
  const body = (await res.body.json()) as { items: any[] };
  return body.items;
}

async function until<T>(what: string, get: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  // Generous: the servers run from source in child processes, slow to start on a loaded machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await get().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A subscriber that answers 503 twice to event `retried`, then 200; everything else at once. */
async function flakySubscriber(): Promise<Subscriber> {
  let failures = 0;
  return startSubscriber((_n, received) =>
    received.headers['ce-id'] === 'retried' && failures++ < 2 ? { status: 503 } : { status: 200 },
  );
}

async function deliverThenRestart(args: string[]): Promise<void> {
  const subscriber = await flakySubscriber();
  let server = await startServerProcess(args);
  try {
    const applied = await cli(server, ['apply', '-f', '-'], MANIFESTS(subscriber.url));
    assert.equal(applied.code, 0, applied.stderr);
    await until(
      'the trigger to be Ready',
      () => cli(server, ['get', 'triggers', '-n', 'default']),
      (r) => /orders\s.*True/.test(r.stdout),
    );
    for (const id of ['retried', 'plain']) {
      const res = await request(`${server.ingressUrl}/default/default`, {
        method: 'POST',
        headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/shop', 'ce-type': 'order.created' },
      });
      await res.body.dump();
      assert.equal(res.statusCode, 202);
    }
    const before = await until(
      'the retried event to be delivered',
      () => history(server, 'retried'),
      (items) => items[0]?.triggers?.orders?.outcome === 'delivered',
    );
    assert.deepEqual(
      before[0].triggers.orders.attempts.map((a: any) => a.status),
      [503, 503, 200],
    );
    await until(
      'the plain event to be delivered',
      () => history(server, 'plain'),
      (items) => items[0]?.triggers?.orders?.outcome === 'delivered',
    );
    const listed = await cli(server, ['describe', 'broker', 'default', '-n', 'default']);

    assert.equal(await server.stop(), 0);
    server = await startServerProcess(args);

    assert.deepEqual(await history(server, 'retried'), before, 'the API answers as before the restart');
    const described = await cli(server, ['describe', 'event', 'retried', '-n', 'default']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /Trigger orders: delivered/);
    const attempts = described.stdout.split('\n').filter((line) => /^\s+#\d/.test(line));
    assert.equal(attempts.length, 3, described.stdout);
    assert.match(attempts[0]!, /#1 .* subscriber .* -> HTTP 503/);
    assert.match(attempts[1]!, /#2 .* -> HTTP 503/);
    assert.match(attempts[2]!, /#3 .* -> HTTP 200/);
    const again = await cli(server, ['describe', 'broker', 'default', '-n', 'default']);
    const recent = (text: string): string[] => text.split('\n').filter((l) => /\b(retried|plain)\b/.test(l));
    assert.deepEqual(recent(again.stdout).length, 2, again.stdout);
    assert.deepEqual(recent(listed.stdout).length, 2, listed.stdout);
  } finally {
    await server.stop();
    await subscriber.close();
  }
}

test('embedded: the history of events delivered before a restart, every attempt included', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-history-'));
  try {
    await deliverThenRestart(['--data-dir', dataDir]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test(
  'jetstream: the history of events delivered before a restart, every attempt included',
  { skip: natsServerBinary() === undefined ? 'nats-server is not installed' : false },
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-history-'));
    let nats: NatsServer | undefined;
    try {
      nats = await startNatsServer();
      await deliverThenRestart(['--data-dir', dataDir, '--backend', 'jetstream', '--nats', nats.url]);
    } finally {
      await nats?.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
