/**
 * TLS on every listener: with --tls-cert and --tls-key, ingress, the admin API and the gateway serve HTTPS,
 * and a renewed certificate written over the old one is served without a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { startTestServer } from '../support/server.js';

function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** The CN of the certificate a listener presents now. */
function presented(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const cn = socket.getPeerCertificate().subject?.CN;
      socket.end();
      resolve(String(cn));
    });
    socket.on('error', reject);
  });
}

test('every listener serves HTTPS and picks up a renewed certificate', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cemesh-tls-'));
  const first = selfSigned(dir, 'first');
  const renewed = selfSigned(dir, 'renewed');
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  await writeFile(cert, await readFile(first.cert));
  await writeFile(key, await readFile(first.key));
  const server = await startTestServer({ flags: { tlsCert: cert, tlsKey: key } });
  const dispatcher = new Agent({ connect: { ca: await readFile(first.cert, 'utf8') } });
  try {
    for (const url of [server.ingressUrl, server.adminUrl, server.gatewayUrl]) {
      assert.match(url, /^https:\/\//);
      assert.equal(await presented(url), 'first');
    }
    const health = await request(`${server.adminUrl}/healthz`, { dispatcher });
    assert.equal(health.statusCode, 200);
    await health.body.dump();
    await writeFile(key, await readFile(renewed.key));
    await writeFile(cert, await readFile(renewed.cert));
    for (;;) {
      if ((await presented(server.ingressUrl)) === 'renewed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(await presented(server.adminUrl), 'renewed');
  } finally {
    await dispatcher.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
