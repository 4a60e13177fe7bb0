// Resource lifecycle through a running server: a Trigger created before its Broker becomes Ready when the
// Broker appears; deleting a Trigger stops its deliveries; replay re-delivers retained events; a config
// file applies resources at start; SIGTERM drains and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { broker, settle, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startServerProcess } from '../support/process.js';
import { quiet, startSubscriber } from '../support/subscriber.js';

const triggers = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';

function condition(object: any, type: string): any {
  return object.status?.conditions?.find((c: any) => c.type === type);
}

async function send(server: { ingressUrl: string }, id: string, type = 'life'): Promise<void> {
  const res = await request(`${server.ingressUrl}/default/default`, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/life', 'ce-type': type },
  });
  assert.equal(res.statusCode, 202);
  await res.body.dump();
}

test('a Trigger created before its Broker is not Ready (BrokerDoesNotExist) until the Broker appears', async () => {
  const server = await startTestServer();
  const subscriber = await startSubscriber();
  try {
    await server.apply(trigger('early', { broker: 'default', subscriber: { uri: subscriber.url } }));
    let early = (await server.api('GET', `${triggers}/early`)).body;
    assert.equal(condition(early, 'Ready').status, 'False');
    assert.equal(condition(early, 'BrokerReady').reason, 'BrokerDoesNotExist');
    await server.apply(broker('default'));
    early = (await server.api('GET', `${triggers}/early`)).body;
    assert.equal(condition(early, 'Ready').status, 'True');
    assert.equal(early.status.subscriberUri, subscriber.url);
    await send(server, 'after-broker');
    await subscriber.waitFor(1);
  } finally {
    await server.stop();
    await subscriber.close();
  }
});

test('deleting a Trigger stops its deliveries; deleting the Broker makes its Triggers not Ready', async () => {
  const server = await startTestServer();
  const subscriber = await startSubscriber();
  try {
    await server.apply(
      broker('default'),
      trigger('t', { broker: 'default', subscriber: { uri: subscriber.url } }),
    );
    await send(server, 'one');
    await subscriber.waitFor(1);
    assert.equal((await server.api('DELETE', `${triggers}/t`)).status, 200);
    await settle(server);
    await send(server, 'two');
    await quiet(200);
    assert.equal(subscriber.received.length, 1);

    await server.apply(trigger('u', { broker: 'default', subscriber: { uri: subscriber.url } }));
    await server.api('DELETE', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default');
    await settle(server);
    const u = (await server.api('GET', `${triggers}/u`)).body;
    assert.equal(condition(u, 'BrokerReady').reason, 'BrokerDoesNotExist');
    const res = await request(`${server.ingressUrl}/default/default`, {
      method: 'POST',
      headers: { 'ce-specversion': '1.0', 'ce-id': 'x', 'ce-source': '/s', 'ce-type': 't' },
    });
    assert.equal(res.statusCode, 404);
    await res.body.dump();
  } finally {
    await server.stop();
    await subscriber.close();
  }
});

test('replay re-delivers retained events since a time to one trigger, through the API', async () => {
  const server: TestServer = await startTestServer({ backend: 'embedded' });
  const subscriber = await startSubscriber();
  try {
    await server.apply(
      broker('default'),
      trigger('orders', {
        broker: 'default',
        subscriber: { uri: subscriber.url },
        filter: { attributes: { type: 'order' } },
      }),
    );
    await send(server, 'old', 'order');
    await subscriber.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    await send(server, 'new-1', 'order');
    await send(server, 'new-2', 'order');
    await send(server, 'other', 'invoice');
    await subscriber.waitFor(3);
    const res = await server.api('POST', `${triggers}/orders/replay`, { since });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.replayed, 2);
    await subscriber.waitFor(5);
    await quiet(200);
    const ids = subscriber.received.map((r) => r.headers['ce-id']);
    assert.deepEqual(ids.slice(3).sort(), ['new-1', 'new-2']);
  } finally {
    await server.stop();
    await subscriber.close();
  }
});

test('a --config file applies its resources at start, and SIGTERM drains and exits 0', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-config-'));
  const subscriber = await startSubscriber();
  const config = join(dataDir, 'cemesh.yaml');
  await writeFile(
    config,
    [
      'backend: memory',
      'resources:',
      '  - apiVersion: eventing.knative.dev/v1',
      '    kind: Broker',
      '    metadata: { name: default, namespace: default }',
      '  - apiVersion: eventing.knative.dev/v1',
      '    kind: Trigger',
      '    metadata: { name: all, namespace: default }',
      `    spec: { broker: default, subscriber: { uri: "${subscriber.url}" } }`,
      '',
    ].join('\n'),
  );
  const server = await startServerProcess(['--data-dir', dataDir, '--config', config]);
  try {
    await send(server, 'configured');
    await subscriber.waitFor(1);
  } finally {
    assert.equal(await server.stop(), 0);
    await subscriber.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
