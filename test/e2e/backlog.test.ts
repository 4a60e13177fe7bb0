// Bounded, refused rather than dropped (issue 14, item 3): a memory broker whose subscriber does not keep up
// takes events up to its backlog limit, then answers 503 + Retry-After; every event it acknowledged is
// delivered once the subscriber recovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, startTestServer, trigger } from '../support/server.js';
import { startSubscriber } from '../support/subscriber.js';

test('a memory broker over its backlog limit answers 503 + Retry-After, and delivers all it acknowledged', async () => {
  let healthy = false;
  const subscriber = await startSubscriber(() => ({ status: healthy ? 200 : 503 }));
  const server = await startTestServer({ backend: 'memory', flags: { memoryBrokerMaxEvents: 20 } });
  try {
    await server.apply(
      broker('default'),
      trigger('t', {
        broker: 'default',
        subscriber: { uri: subscriber.url },
        delivery: { retry: 1000, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' },
      }),
    );
    const acknowledged: string[] = [];
    let refusal: { status: number; retryAfter: unknown; code: string } | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await request(`${server.ingressUrl}/default/default`, {
        method: 'POST',
        headers: { 'ce-specversion': '1.0', 'ce-id': `e${i}`, 'ce-source': '/b', 'ce-type': 'backlog' },
      });
      const text = await res.body.text();
      if (res.statusCode === 202) acknowledged.push(`e${i}`);
      else
        refusal ??= {
          status: res.statusCode,
          retryAfter: res.headers['retry-after'],
          code: JSON.parse(text).code,
        };
    }
    assert.equal(acknowledged.length, 20);
    assert.deepEqual(refusal, { status: 503, retryAfter: '1', code: 'MESH_BACKLOG_FULL' });
    healthy = true;
    const deadline = Date.now() + 15_000;
    const delivered = (): Set<string> =>
      new Set(subscriber.received.filter((r) => r.headers['ce-id']).map((r) => String(r.headers['ce-id'])));
    while (acknowledged.some((id) => !delivered().has(id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(
      acknowledged.filter((id) => !delivered().has(id)),
      [],
      'every 202 was delivered',
    );
  } finally {
    await server.stop();
    await subscriber.close();
  }
});
