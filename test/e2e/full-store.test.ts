// ARCHITECTURE 2.2: when the store is full, ingress answers 507, never a 202 that is later dropped; every
// event that got a 202 is still delivered once the subscriber is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, startTestServer, trigger } from '../support/server.js';
import { quiet, startSubscriber } from '../support/subscriber.js';

test('a full embedded store answers 507 and keeps every acknowledged event', async () => {
  let up = false;
  const subscriber = await startSubscriber(() => ({ status: up ? 200 : 503 }));
  const server = await startTestServer({ backend: 'embedded', flags: { maxStoreBytes: 2 * 1024 * 1024 } });
  try {
    await server.apply(
      broker('default'),
      trigger('t', {
        broker: 'default',
        subscriber: { uri: subscriber.url },
        delivery: { retry: 1000, backoffPolicy: 'linear', backoffDelay: 'PT0.1S' },
      }),
    );
    const accepted: string[] = [];
    let full = 0;
    const body = JSON.stringify({ pad: 'x'.repeat(4000) });
    for (let i = 0; i < 2000 && full < 3; i++) {
      const res = await request(`${server.ingressUrl}/default/default`, {
        method: 'POST',
        headers: {
          'ce-specversion': '1.0',
          'ce-id': `f-${i}`,
          'ce-source': '/full',
          'ce-type': 'fill',
          'content-type': 'application/json',
        },
        body,
      });
      const text = await res.body.text();
      if (res.statusCode === 202) accepted.push(`f-${i}`);
      else {
        assert.equal(res.statusCode, 507, text);
        assert.equal(JSON.parse(text).code, 'MESH_BACKEND_FULL');
        full++;
      }
    }
    assert.equal(full, 3, 'the store filled up and said so');
    assert.ok(accepted.length > 50, `only ${accepted.length} events fit`);
    up = true;
    const deadline = Date.now() + 20_000;
    const seen = (): Set<string> =>
      new Set(
        subscriber.received
          .filter((r) => r.headers['ce-type'] === 'fill')
          .map((r) => String(r.headers['ce-id'])),
      );
    while (accepted.some((id) => !seen().has(id)) && Date.now() < deadline) await quiet(100);
    assert.deepEqual(
      accepted.filter((id) => !seen().has(id)),
      [],
    );
  } finally {
    await server.stop();
    await subscriber.close();
  }
});
