// The server never crashes on any request body or header: throw garbage at every listener, then check
// that it still answers and still delivers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'undici';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

let server: TestServer;
let subscriber: Subscriber;

before(async () => {
  server = await startTestServer();
  subscriber = await startSubscriber();
  await server.apply(
    broker('default'),
    trigger('t', { broker: 'default', subscriber: { uri: subscriber.url } }),
  );
});
after(async () => {
  await server.stop();
  await subscriber.close();
});

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function rawRequest(url: string, bytes: Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
    socket.setTimeout(2000, () => socket.destroy());
    socket.end(bytes);
  });
}

test('garbage bodies and headers get 4xx answers, never a crash', async () => {
  const next = random(42);
  const contentTypes = [
    'application/cloudevents+json',
    'application/cloudevents-batch+json',
    'application/json',
    'application/cloudevents+avro',
    'text/plain',
    '',
  ];
  const targets = [
    `${server.ingressUrl}/default/default`,
    `${server.adminUrl}/api/v1/namespaces`,
    `${server.adminUrl}/apis/eventing.knative.dev/v1/namespaces/default/brokers`,
  ];
  for (let i = 0; i < 300; i++) {
    const length = Math.floor(next() * 400);
    const body = Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
    const jsonish = [
      '{',
      '[',
      '{"specversion":"1.0"',
      '[{"specversion":1}]',
      'null',
      '{"data_base64":"!!"}',
      '[null]',
    ][i % 7]!;
    const headers: Record<string, string> = { authorization: `Bearer ${server.token}` };
    const ct = contentTypes[i % contentTypes.length]!;
    if (ct) headers['content-type'] = ct;
    if (i % 3 === 0)
      Object.assign(headers, {
        'ce-specversion': next() > 0.5 ? '1.0' : '%%%',
        'ce-id': '%zz',
        'ce-source': ':::',
        'ce-type': '',
      });
    if (i % 5 === 0) headers[`ce-${'x'.repeat(Math.floor(next() * 40))}`] = '%E2%82';
    const target = targets[i % targets.length]!;
    const res = await request(target, { method: 'POST', headers, body: i % 2 === 0 ? body : jsonish });
    await res.body.dump();
    assert.ok(
      res.statusCode >= 400 && res.statusCode < 500,
      `${target} answered ${res.statusCode} to case ${i}`,
    );
  }
});

test('malformed HTTP on the wire gets 400 and the listener keeps serving', async () => {
  const cases = [
    'GARBAGE\r\n\r\n',
    'POST /default/default HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n',
    'POST /default/default HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'POST /%ff%fe/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
    `POST /default/default HTTP/1.1\r\nHost: x\r\n${'X-Big: y\r\n'.repeat(5000)}\r\n`,
  ];
  for (const text of cases) {
    const answer = await rawRequest(server.ingressUrl, Buffer.from(text));
    assert.match(answer, /^HTTP\/1\.1 4\d\d/, JSON.stringify(text.slice(0, 40)));
  }
  const res = await request(`${server.ingressUrl}/default/default`, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': 'after-garbage', 'ce-source': '/s', 'ce-type': 't' },
  });
  assert.equal(res.statusCode, 202);
  await res.body.dump();
  await subscriber.waitFor(1);
  assert.ok(subscriber.received.some((r) => r.headers['ce-id'] === 'after-garbage'));
});
