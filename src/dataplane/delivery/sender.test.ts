import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { createHttpSender, parseTarget } from './sender.js';

const event: CloudEvent = {
  attributes: { specversion: '1.0', id: 'e-1', source: '/t', type: 't', datacontenttype: 'text/plain' },
  data: new TextEncoder().encode('hello'),
};

test('at most connectionsPerOrigin requests reach one origin at a time; an attempt waiting for a connection keeps its timeout', async () => {
  let open = 0;
  let most = 0;
  const server = createServer((req, res) => {
    open++;
    most = Math.max(most, open);
    req.resume();
    setTimeout(() => {
      open--;
      res.writeHead(202, { 'content-length': '0' }).end();
    }, 40);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sender = createHttpSender({ connectionsPerOrigin: 2 });
  try {
    const target = parseTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sink`);
    const options = { timeoutMs: 5_000, format: 'binary' as const, headers: { 'kn-namespace': 'ns' } };
    const outcomes = await Promise.all([
      ...Array.from({ length: 6 }, () => sender.send(target, event, options)),
      // Third in line behind two 40 ms requests: its 20 ms run out while it waits.
      sender.send(target, event, { ...options, timeoutMs: 20 }),
    ]);
    assert.deepEqual(
      outcomes.map((o) => (o.result.kind === 'response' ? o.result.status : o.result.kind)),
      [202, 202, 202, 202, 202, 202, 'timeout'],
    );
    assert.equal(most, 2);
    // Durations count from the send, waiting included: the last pair waited for two pairs before it.
    assert.ok(outcomes[5]!.durationMs >= 100, `waited ${outcomes[5]!.durationMs} ms`);
  } finally {
    await sender.close();
    server.closeAllConnections();
    server.close();
  }
});
