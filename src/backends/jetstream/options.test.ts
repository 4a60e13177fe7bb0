import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMeshError } from '../../core/errors.js';
import { resolveJetStreamOptions, type JetStreamOptions } from './options.js';

test('options get their documented defaults and are frozen', () => {
  const resolved = resolveJetStreamOptions({ servers: ['nats://127.0.0.1:4222'] });
  assert.equal(resolved.replicas, 1);
  assert.equal(resolved.maxBytesPerStream, -1);
  assert.equal(resolved.maxAgeMs, 24 * 60 * 60 * 1000);
  assert.equal(resolved.ackWaitMs, 30_000);
  assert.equal(resolved.prefix, 'cemesh');
  assert.equal(resolved.timeoutMs, 5_000);
  assert.equal(resolved.connection.maxReconnectAttempts, -1, 'a server keeps reconnecting');
  assert.ok(Object.isFrozen(resolved));
});

test('maxAgeMs 0 keeps events without an age limit', () => {
  assert.equal(resolveJetStreamOptions({ servers: ['x'], maxAgeMs: 0 }).maxAgeMs, 0);
});

test('credentials and TLS options reach the connection options', () => {
  const resolved = resolveJetStreamOptions({
    servers: ['tls://n1:4222', 'tls://n2:4222'],
    user: 'u',
    pass: 'p',
    tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' },
    name: 'replica-1',
  });
  assert.deepEqual(resolved.connection.servers, ['tls://n1:4222', 'tls://n2:4222']);
  assert.equal(resolved.connection.user, 'u');
  assert.equal(resolved.connection.pass, 'p');
  assert.deepEqual(resolved.connection.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
  assert.equal(resolved.connection.name, 'replica-1');
});

const invalid: { name: string; options: JetStreamOptions; message: RegExp }[] = [
  { name: 'no servers', options: { servers: [] }, message: /servers/ },
  { name: 'replicas 0', options: { servers: ['x'], replicas: 0 }, message: /replicas/ },
  { name: 'replicas 7', options: { servers: ['x'], replicas: 7 }, message: /replicas/ },
  { name: 'a prefix with a dot', options: { servers: ['x'], prefix: 'a.b' }, message: /prefix/ },
  { name: 'negative max age', options: { servers: ['x'], maxAgeMs: -1 }, message: /maxAgeMs/ },
  { name: 'zero ack wait', options: { servers: ['x'], ackWaitMs: 0 }, message: /ackWaitMs/ },
  {
    name: 'zero stream size',
    options: { servers: ['x'], maxBytesPerStream: 0 },
    message: /maxBytesPerStream/,
  },
  {
    name: 'an unreadable creds file',
    options: { servers: ['x'], credsFile: '/nonexistent.creds' },
    message: /credsFile/,
  },
];

for (const { name, options, message } of invalid) {
  test(`invalid options are rejected with what is wrong: ${name}`, () => {
    assert.throws(
      () => resolveJetStreamOptions(options),
      (error: unknown) => isMeshError(error) && message.test(error.message),
    );
  });
}
