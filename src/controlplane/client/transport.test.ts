import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { createTransport } from './transport.js';

test(
  'a server that takes the request and never answers fails the call once the answer bound passes',
  { timeout: 5_000 },
  async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const transport = createTransport(`http://127.0.0.1:${port}`, 'token', undefined, {
      connectMs: 1_000,
      answerMs: 200,
    });
    const started = performance.now();
    await assert.rejects(transport.json('GET', '/apis'), /did not answer within 0.2 s/);
    assert.ok(performance.now() - started < 2_000, 'gave up at the bound');
    await transport.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  },
);

test('an answer that comes in time is read whole', async () => {
  const server = createServer((socket) => {
    socket.once('data', () =>
      socket.end(
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}',
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const transport = createTransport(`http://127.0.0.1:${port}`, undefined, undefined, {
    connectMs: 1_000,
    answerMs: 1_000,
  });
  assert.deepEqual(await transport.json('GET', '/apis'), { ok: true });
  await transport.close();
  await new Promise((resolve) => server.close(resolve));
});
