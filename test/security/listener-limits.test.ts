/**
 * Listener limits (issue: hostile clients): idle and trickling sockets cannot take a listener down, one client
 * address cannot hold more than its share, and a client that never finishes its headers is cut off.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { broker, startTestServer, type TestServer } from '../support/server.js';

/** Opens a TCP connection from a given loopback address (all of 127/8 is loopback on Linux). */
function open(url: string, localAddress: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Opens a connection that the server is sure to accept: it sends the first byte of a request. Past a full
 * accept queue (the listen backlog, at most net.core.somaxconn), Linux answers with SYN cookies and keeps no
 * state, so a connection that sends nothing is connected for the client but never reaches the server.
 */
async function openReaching(url: string, localAddress: string): Promise<Socket> {
  const socket = await open(url, localAddress);
  socket.write('P');
  return socket;
}

/**
 * Resolves once `count` of the sockets are closed, those closed already included: with more connections than
 * the listen backlog (511), some connect only after a SYN retry, a second later, by when the server may have
 * closed others; counting only 'close' events still to come then waited forever. Rejects after `withinMs`.
 */
function closedCount(sockets: readonly Socket[], count: number, withinMs = 8_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (sockets.filter((socket) => socket.closed).length < count) return;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      const closed = sockets.filter((socket) => socket.closed).length;
      reject(
        new Error(`${closed} of ${sockets.length} sockets closed within ${withinMs} ms, expected ${count}`),
      );
    }, withinMs);
    for (const socket of sockets) {
      socket.on('error', () => {});
      if (!socket.closed) socket.once('close', check);
    }
    check();
  });
}

function closed(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks).toString())));
}

async function post(server: TestServer, id: string): Promise<number> {
  const response = await request(`${server.ingressUrl}/default/default`, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/s', 'ce-type': 't' },
  });
  await response.body.dump();
  return response.statusCode;
}

/** Default limits. */
let server: TestServer;
/** Tight limits, so the timeouts show within a test's time. */
let tight: TestServer;
before(async () => {
  server = await startTestServer();
  tight = await startTestServer({
    flags: { headersTimeout: 'PT1S', requestTimeout: 'PT2S' },
  });
  await server.apply(broker('default'));
  await tight.apply(broker('default'));
});
after(() => Promise.all([server.stop(), tight.stop()]));

test('with 2,000 idle sockets open, ingress and the admin API still answer', async () => {
  const sockets: Socket[] = [];
  try {
    // 250 from each of eight addresses, under the per-client cap, so all 2,000 stay open.
    for (let batch = 0; batch < 10; batch++) {
      const opened = Array.from({ length: 200 }, (_, i) =>
        open(i % 2 === 0 ? server.ingressUrl : server.adminUrl, `127.0.0.${2 + (i % 8)}`),
      );
      sockets.push(...(await Promise.all(opened)));
    }
    assert.ok(sockets.every((socket) => !socket.destroyed));
    assert.equal(await post(server, 'while-idle-sockets'), 202);
    const health = await request(`${server.adminUrl}/healthz`);
    assert.equal(health.statusCode, 200);
    await health.body.dump();
    const api = await server.api('GET', '/api/v1/namespaces');
    assert.equal(api.status, 200);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
});

test('one client address holds at most 512 connections of a listener (the default)', async () => {
  const sockets = await Promise.all(
    Array.from({ length: 530 }, () => openReaching(server.ingressUrl, '127.0.0.20')),
  );
  try {
    // The server closes the ones past the cap as soon as it accepts them; the others stay open.
    await closedCount(sockets, 18);
    assert.equal(await post(server, 'other-address'), 202);
    assert.equal(sockets.filter((socket) => socket.destroyed).length, 18);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
});

test('a client that never finishes its headers is answered 408 and cut off (slowloris)', async () => {
  const socket = await open(tight.ingressUrl, '127.0.0.21');
  const answer = closed(socket);
  socket.write('POST /default/default HTTP/1.1\r\nhost: x\r\n');
  const trickle = setInterval(() => socket.writable && socket.write('x-a: b\r\n'), 200);
  try {
    assert.match(await answer, /^HTTP\/1\.1 408/);
  } finally {
    clearInterval(trickle);
  }
});

test('a connection that sends nothing is closed after the headers timeout', async () => {
  const socket = await open(tight.adminUrl, '127.0.0.22');
  await closed(socket);
});

test('a request head past 16 KiB is answered 431', async () => {
  const socket = await open(server.ingressUrl, '127.0.0.23');
  const answer = closed(socket);
  socket.write(`POST /default/default HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match(await answer, /^HTTP\/1\.1 431/);
});

test('a request body trickled past the request timeout is cut off', async () => {
  const socket = await open(tight.ingressUrl, '127.0.0.24');
  const answer = closed(socket);
  socket.write(
    'POST /default/default HTTP/1.1\r\nhost: x\r\ncontent-type: application/cloudevents+json\r\ncontent-length: 100000\r\n\r\n{',
  );
  const trickle = setInterval(() => socket.writable && socket.write(' '), 200);
  try {
    assert.match(await answer, /^HTTP\/1\.1 408/);
  } finally {
    clearInterval(trickle);
  }
});

test('a listener holds at most max-connections connections in total', async () => {
  const small = await startTestServer({ flags: { maxConnections: 100 } });
  const sockets = await Promise.all(
    Array.from({ length: 110 }, (_, i) => openReaching(small.adminUrl, `127.0.1.${1 + (i % 50)}`)),
  );
  try {
    await closedCount(sockets, 10);
    assert.equal(sockets.filter((socket) => socket.destroyed).length, 10);
  } finally {
    for (const socket of sockets) socket.destroy();
    await small.stop();
  }
});
