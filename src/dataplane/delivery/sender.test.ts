import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { createHttpSender, MAX_RESPONSE_BYTES, parseTarget } from './sender.js';

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

/** A subscriber that answers with `status` and `headers` and then a body that never ends. */
async function endless(
  status: number,
  headers: Record<string, string> = {},
): Promise<{ url: string; closed: Promise<void>; stop(): void }> {
  let closedResolve!: () => void;
  const closed = new Promise<void>((resolve) => (closedResolve = resolve));
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(status, headers);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = (): void => {
      while (res.write(chunk));
    };
    res.on('drain', pump);
    res.on('close', closedResolve);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    closed,
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const endlessCases: [status: number, headers: Record<string, string>, kept: boolean][] = [
  [500, {}, true],
  [200, { 'ce-specversion': '1.0', 'ce-id': 'r', 'ce-source': '/r', 'ce-type': 'r' }, true],
  [202, {}, false],
  [200, { 'content-type': 'text/plain' }, false],
];

for (const [status, headers, kept] of endlessCases) {
  test(`an endless ${status} body${kept ? ' kept for a reply or failure' : ''} ends the attempt at 1 MiB and aborts the connection`, async () => {
    const subscriber = await endless(status, headers);
    const sender = createHttpSender();
    try {
      const outcome = await sender.send(parseTarget(subscriber.url), event, {
        timeoutMs: 60_000,
        format: 'binary',
        headers: {},
      });
      assert.deepEqual(outcome.result, { kind: 'response', status });
      if (kept) {
        assert.equal(outcome.responseTruncated, true);
        assert.equal(outcome.responseBody?.byteLength, MAX_RESPONSE_BYTES);
      } else {
        assert.equal(outcome.responseBody, undefined);
      }
      await subscriber.closed;
    } finally {
      await sender.close();
      subscriber.stop();
    }
  });
}

test('a response head past 16 KiB is a network error, not a response', async () => {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'x-big': 'a'.repeat(32 * 1024) }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sender = createHttpSender();
  try {
    const outcome = await sender.send(
      parseTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
      event,
      { timeoutMs: 60_000, format: 'binary', headers: {} },
    );
    assert.equal(outcome.result.kind, 'network-error');
  } finally {
    await sender.close();
    server.closeAllConnections();
    server.close();
  }
});

test('the sender hands out one slot count per pool, sized to its connections, and none for origins served in process', () => {
  const local = { dispatch: () => true };
  const sender = createHttpSender({
    connectionsPerOrigin: 7,
    resolve: (origin) => (origin === 'http://fn.local:8080' ? local : undefined),
  });
  const a = sender.slots?.(parseTarget('http://127.0.0.1:9/a'));
  assert.equal(a?.limit, 7);
  // Same origin, other path: the same pool, so the same count.
  assert.equal(sender.slots?.(parseTarget('http://127.0.0.1:9/b?x=1')), a);
  // Another origin, or the same origin trusting another CA: another pool.
  assert.notEqual(sender.slots?.(parseTarget('http://127.0.0.1:10/a')), a);
  assert.notEqual(sender.slots?.(parseTarget('http://127.0.0.1:9/a', 'PEM')), a);
  assert.equal(sender.slots?.(parseTarget('http://fn.local:8080/')), undefined);
});
