// Ingress tells the truth (issue 14, item 1): a broker that is not Ready answers 503 with Retry-After and
// its Ready reason, at ingress and at the gateway, instead of 202 for events no trigger would get.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { broker, startTestServer, trigger } from '../support/server.js';
import { startSubscriber } from '../support/subscriber.js';

async function post(url: string): Promise<{ status: number; retryAfter: unknown; body: any }> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': 'r1', 'ce-source': '/r', 'ce-type': 'ready.test' },
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    retryAfter: res.headers['retry-after'],
    body: text ? JSON.parse(text) : {},
  };
}

function channelConfig(name: string): Resource {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default' },
    data: { 'channel-template-spec': 'apiVersion: messaging.knative.dev/v1\nkind: InMemoryChannel\n' },
  };
}

test('a broker that is not Ready answers 503 + Retry-After with its reason; once Ready it takes and delivers', async () => {
  const server = await startTestServer();
  const subscriber = await startSubscriber();
  try {
    await server.apply(
      broker('default', 'default', {
        config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'missing-config' },
      }),
      trigger('t', { broker: 'default', subscriber: { uri: subscriber.url } }),
    );
    const refused = await post(`${server.ingressUrl}/default/default`);
    assert.equal(refused.status, 503);
    assert.equal(refused.retryAfter, '5');
    assert.equal(refused.body.code, 'MESH_BROKER_NOT_READY');
    assert.match(refused.body.message, /not Ready: PersistenceInvalid: ConfigMap default\/missing-config/);

    await server.apply(channelConfig('missing-config'));
    const accepted = await post(`${server.ingressUrl}/default/default`);
    assert.equal(accepted.status, 202);
    await subscriber.waitFor(1);
  } finally {
    await server.stop();
    await subscriber.close();
  }
});

test('the gateway answers 503 + Retry-After, not 200 "published", while the bound broker is not Ready', async () => {
  const server = await startTestServer();
  try {
    await server.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop' },
      },
      broker('default', 'shop', { config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'nowhere' } }),
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'commerce' },
        spec: {},
      },
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'commerce', namespace: 'shop' },
        spec: {},
      },
    );
    const issued = await server.api(
      'POST',
      '/apis/applicationconnector.kyma-project.io/v1alpha1/applications/commerce/token',
    );
    const token = issued.body?.token as string | undefined;
    assert.ok(token, JSON.stringify(issued.body));
    const res = await request(`${server.gatewayUrl}/commerce/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        'event-type': 'order.created',
        'event-type-version': 'v1',
        'event-time': '2024-01-01T00:00:00Z',
        data: {},
      }),
    });
    const body = (await res.body.json()) as Record<string, unknown>;
    assert.equal(res.statusCode, 503, JSON.stringify(body));
    assert.equal(res.headers['retry-after'], '5');
    assert.notEqual(body['status'], 'published');
  } finally {
    await server.stop();
  }
});
