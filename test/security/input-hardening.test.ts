/**
 * The smaller attacks: a readable or short admin token, an out-of-range TTL, repeated CloudEvents headers,
 * a megabyte echoed back in an error, and a web page reaching the admin API by DNS rebinding.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { ConfigError } from '../../src/server/config.js';
import { broker, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.apply(broker('default'));
});
after(() => server.stop());

const EVENT = { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't' };

/** Sends raw request bytes (so headers can repeat exactly as written) and returns the response text. */
function raw(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

test('an admin token file readable by others is made 0600 at start', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-token-'));
  try {
    const file = join(dataDir, 'admin.token');
    await writeFile(file, `${'t'.repeat(40)}\n`);
    await chmod(file, 0o644);
    const started = await startTestServer({ dataDir });
    await started.close();
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(started.token, 't'.repeat(40));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('an admin token shorter than 32 characters is refused, given or found in the file', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-token-'));
  try {
    await assert.rejects(
      startTestServer({ dataDir, flags: { adminToken: 'short-token' } }),
      (error: unknown) => error instanceof ConfigError && /at least 32/.test(error.message),
    );
    await writeFile(join(dataDir, 'admin.token'), 'abc\n', { mode: 0o600 });
    await assert.rejects(startTestServer({ dataDir }), /3 characters, at least 32/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

for (const ttl of ['99999999999999999999', '2147483648', '1e3', '0x10', '12abc']) {
  test(`binary-mode knativebrokerttl ${ttl} is refused with 400`, async () => {
    const response = await request(`${server.ingressUrl}/default/default`, {
      method: 'POST',
      headers: { ...EVENT, 'ce-knativebrokerttl': ttl },
    });
    assert.equal(response.statusCode, 400);
    const body = (await response.body.json()) as { attribute: string };
    assert.equal(body.attribute, 'knativebrokerttl');
  });
}

test('structured-mode knativebrokerttl past the 32-bit range is refused with 400', async () => {
  const response = await request(`${server.ingressUrl}/default/default`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: '{"specversion":"1.0","id":"1","source":"/s","type":"t","knativebrokerttl":99999999999999999999}',
  });
  assert.equal(response.statusCode, 400);
  await response.body.dump();
});

for (const name of ['ce-id', 'CE-Type', 'content-type']) {
  test(`a repeated ${name} header is refused with 400, not joined`, async () => {
    const headers = [
      'POST /default/default HTTP/1.1',
      'host: x',
      'connection: close',
      'content-length: 0',
      'ce-specversion: 1.0',
      'ce-id: 1',
      'ce-source: /s',
      'ce-type: t',
      'content-type: text/plain',
      `${name}: 2`,
    ];
    const answer = await raw(server.ingressUrl, `${headers.join('\r\n')}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 400/);
    assert.match(answer, /is repeated/);
  });
}

test('a 1 MB name is not echoed back whole in the 422', async () => {
  const result = await server.api('POST', '/apis/eventing.knative.dev/v1/namespaces/default/brokers', {
    ...broker('x'.repeat(1_000_000)),
  });
  assert.equal(result.status, 422);
  assert.ok(JSON.stringify(result.body).length < 10_000, `${JSON.stringify(result.body).length} characters`);
  assert.match(JSON.stringify(result.body), /more characters/);
});

test('the admin listener refuses a Host it does not answer to (DNS rebinding) with 421', async () => {
  for (const path of ['/api/v1/namespaces', '/console/']) {
    const refused = await request(`${server.adminUrl}${path}`, {
      headers: { host: 'attacker.example:8081', authorization: `Bearer ${server.token}` },
    });
    assert.equal(refused.statusCode, 421, path);
    const body = (await refused.body.json()) as { reason: string };
    assert.equal(body.reason, 'MisdirectedRequest');
  }
  const allowed = await request(`${server.adminUrl}/api/v1/namespaces`, {
    headers: { host: 'localhost', authorization: `Bearer ${server.token}` },
  });
  assert.equal(allowed.statusCode, 200);
  await allowed.body.dump();
});
