/**
 * Client certificates (`--client-ca`): an application authenticates with a certificate the CA signed, whose
 * CN is its name, at the gateway (no token needed) and at broker ingress (it may then send events with its
 * own source). A certificate of another CA, or of another application, does not pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, getGlobalDispatcher, request, setGlobalDispatcher } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { issue, makeCa } from '../support/certs.js';
import { broker, startTestServer } from '../support/server.js';

test('an application authenticates with its client certificate at the gateway and at ingress', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cemesh-mtls-'));
  const serverCa = makeCa(dir, 'server-ca');
  const serving = issue(dir, serverCa, 'cemesh', 'IP:127.0.0.1');
  const clientCa = makeCa(dir, 'client-ca');
  const rogueCa = makeCa(dir, 'rogue-ca');
  const shop = issue(dir, clientCa, 'shop');
  const other = issue(dir, clientCa, 'billing');
  const forged = issue(dir, rogueCa, 'shop-forged');
  const server = await startTestServer({
    flags: { tlsCert: serving.certFile, tlsKey: serving.keyFile, clientCa: clientCa.certFile },
  });
  // The test server's API helper goes through the global dispatcher: let it trust the serving CA.
  const previous = getGlobalDispatcher();
  setGlobalDispatcher(new Agent({ connect: { ca: serverCa.cert } }));
  const agent = (cert?: { cert: string; key: string }): Agent =>
    new Agent({ connect: { ca: serverCa.cert, ...(cert ?? {}) } });
  const post = async (url: string, dispatcher: Agent, source = '/x'): Promise<number> => {
    const res = await request(url, {
      method: 'POST',
      dispatcher,
      headers: { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': source, 'ce-type': 't' },
    });
    await res.body.dump();
    return res.statusCode;
  };
  try {
    for (const name of ['shop', 'billing']) {
      await server.apply({
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name },
        spec: {},
      } as Resource);
    }
    await server.apply(
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'shop', namespace: 'default' },
      } as Resource,
      broker('default'),
    );
    const gateway = `${server.gatewayUrl}/shop/events`;
    assert.equal(await post(gateway, agent(shop)), 202);
    assert.equal(await post(gateway, agent()), 401);
    assert.equal(await post(gateway, agent(other)), 401);
    // A certificate the client CA did not sign is not verified: no identity.
    assert.equal(await post(gateway, agent(forged)), 401);

    const ingress = `${server.ingressUrl}/default/default`;
    assert.equal(await post(ingress, agent(), 'shop'), 403);
    assert.equal(await post(ingress, agent(other), 'shop'), 403);
    assert.equal(await post(ingress, agent(shop), 'shop'), 202);
  } finally {
    setGlobalDispatcher(previous);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
