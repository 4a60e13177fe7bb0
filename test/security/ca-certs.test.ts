/**
 * Knative's CACerts on destinations: an HTTPS subscriber whose certificate a private CA signed is reached
 * when the trigger's subscriber names that CA, and refused (the TLS handshake fails) when it does not.
 * Before, CACerts was refused at admission and such subscribers could not be used at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { makeCa, issue } from '../support/certs.js';
import { broker, startTestServer, trigger } from '../support/server.js';

test('an HTTPS subscriber signed by a private CA is reached through CACerts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cemesh-cacerts-'));
  const ca = makeCa(dir, 'test-ca');
  const other = makeCa(dir, 'other-ca');
  const leaf = issue(dir, ca, 'subscriber', 'IP:127.0.0.1');
  const received: string[] = [];
  const https = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    received.push(String(req.headers['ce-id']));
    req.resume();
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(https.address() as AddressInfo).port}/`;
  const server = await startTestServer();
  try {
    const refused = await server.api('POST', '/apis/eventing.knative.dev/v1/namespaces/default/triggers', {
      ...trigger('bad', {
        subscriber: { uri: url, CACerts: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
      }),
    });
    assert.equal(refused.status, 422);
    assert.match(JSON.stringify(refused.body), /spec\.subscriber\.CACerts/);

    await server.apply(
      broker('default'),
      trigger('trusted', {
        filter: { attributes: { type: 'a' } },
        subscriber: { uri: url, CACerts: ca.cert },
      }),
      trigger('untrusted', {
        filter: { attributes: { type: 'b' } },
        subscriber: { uri: url, CACerts: other.cert },
        delivery: { retry: 0 },
      }),
    );
    for (const [id, type] of [
      ['1', 'a'],
      ['2', 'b'],
    ]) {
      const res = await request(`${server.ingressUrl}/default/default`, {
        method: 'POST',
        headers: { 'ce-specversion': '1.0', 'ce-id': id ?? '', 'ce-source': '/t', 'ce-type': type ?? '' },
      });
      assert.equal(res.statusCode, 202);
      await res.body.dump();
    }
    const deadline = Date.now() + 10_000;
    let failed: { outcome?: string } | undefined;
    while (Date.now() < deadline) {
      const history = await server.api(
        'GET',
        '/apis/eventing.knative.dev/v1/namespaces/default/triggers/untrusted/deliveries',
      );
      failed = (history.body?.items ?? [])[0];
      if (received.includes('1') && failed !== undefined && failed.outcome !== 'pending') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(received, ['1']);
    assert.ok(failed !== undefined, 'the untrusted delivery is in the history');
    assert.notEqual(failed.outcome, 'delivered');
  } finally {
    await server.stop();
    await new Promise((resolve) => https.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
});
