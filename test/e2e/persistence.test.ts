// Persistence per namespace (ARCHITECTURE 2.6) and restart: resources and status survive a restart of the
// embedded default; a memory namespace loses its undelivered events while an embedded one keeps them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { broker, namespace, startTestServer, trigger } from '../support/server.js';
import { quiet, startSubscriber } from '../support/subscriber.js';

async function send(ingressUrl: string, ns: string, id: string): Promise<void> {
  const res = await request(`${ingressUrl}/${ns}/default`, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/p', 'ce-type': 'persist' },
  });
  assert.equal(res.statusCode, 202);
  await res.body.dump();
}

test('restart keeps the embedded namespace undelivered events and loses the memory namespace ones', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-persist-'));
  // The subscriber is down at first: every delivery fails and is retried later.
  const down = await startSubscriber(() => ({ status: 503 }));
  const first = await startTestServer({ backend: 'embedded', dataDir });
  try {
    await first.apply(
      namespace('durable'),
      namespace('volatile', { 'eventing.cemesh.dev/persistence': 'memory' }),
      broker('default', 'durable'),
      broker('default', 'volatile'),
      trigger(
        't',
        {
          broker: 'default',
          subscriber: { uri: down.url },
          delivery: { retry: 100, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' },
        },
        'durable',
      ),
      trigger(
        't',
        {
          broker: 'default',
          subscriber: { uri: down.url },
          delivery: { retry: 100, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' },
        },
        'volatile',
      ),
    );
    const brokers = await first.api('GET', '/apis/eventing.knative.dev/v1/brokers');
    const kinds = Object.fromEntries(
      brokers.body.items.map((b: any) => [b.metadata.namespace, b.status.persistence.kind]),
    );
    assert.deepEqual(kinds, { durable: 'embedded', volatile: 'memory' });
    for (let i = 0; i < 5; i++) {
      await send(first.ingressUrl, 'durable', `d-${i}`);
      await send(first.ingressUrl, 'volatile', `v-${i}`);
    }
    await down.waitFor(10);
  } finally {
    await first.close();
    await down.close();
  }

  const up = await startSubscriber();
  // Same subscriber URL is gone; re-point both triggers at the live one after restart.
  const second = await startTestServer({ backend: 'embedded', dataDir });
  try {
    const triggers = await second.api('GET', '/apis/eventing.knative.dev/v1/triggers');
    assert.equal(triggers.body.items.length, 2, 'resources survive the restart');
    for (const t of triggers.body.items) {
      assert.ok(
        t.status.conditions.some((c: any) => c.type === 'Ready'),
        'status survives the restart',
      );
      await second.api(
        'PATCH',
        `/apis/eventing.knative.dev/v1/namespaces/${t.metadata.namespace}/triggers/t`,
        {
          spec: { subscriber: { uri: up.url } },
        },
      );
    }
    await up.waitFor(5, 8000);
    await quiet(300);
    const ids = up.received.map((r) => String(r.headers['ce-id'])).sort();
    assert.deepEqual(ids, ['d-0', 'd-1', 'd-2', 'd-3', 'd-4']);
  } finally {
    await second.stop();
    await up.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
