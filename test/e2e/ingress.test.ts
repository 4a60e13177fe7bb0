// Broker ingress status codes (ARCHITECTURE 2.2), against a real server on port 0.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const binaryHeaders = {
  'ce-specversion': '1.0',
  'ce-id': 'e-1',
  'ce-source': '/tests',
  'ce-type': 'dev.cemesh.test',
  'content-type': 'application/json',
};

describe('broker ingress', () => {
  let server: TestServer;
  let subscriber: Subscriber;
  let url: string;

  before(async () => {
    server = await startTestServer();
    subscriber = await startSubscriber();
    await server.apply(
      broker('default'),
      trigger('all', { broker: 'default', subscriber: { uri: subscriber.url } }),
    );
    url = `${server.ingressUrl}/default/default`;
  });
  after(async () => {
    await server.stop();
    await subscriber.close();
  });

  test('202 for a binary-mode event', async () => {
    const res = await request(url, { method: 'POST', headers: binaryHeaders, body: '{"a":1}' });
    assert.equal(res.statusCode, 202);
    await res.body.dump();
  });

  test('202 for a structured-mode event', async () => {
    const body = JSON.stringify({
      specversion: '1.0',
      id: 's-1',
      source: '/tests',
      type: 't',
      data: { a: 1 },
    });
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body,
    });
    assert.equal(res.statusCode, 202);
    await res.body.dump();
  });

  test('202 for a batch, all or nothing', async () => {
    const ok = [1, 2].map((i) => ({ specversion: '1.0', id: `b-${i}`, source: '/tests', type: 't' }));
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(ok),
    });
    assert.equal(res.statusCode, 202);
    await res.body.dump();
    const bad = [...ok, { specversion: '1.0', id: 'b-3', type: 't' }];
    const refused = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(bad),
    });
    assert.equal(refused.statusCode, 400);
    const body = (await refused.body.json()) as { attribute?: string; message: string };
    assert.equal(body.attribute, 'source');
  });

  test('400 names the attribute and the rule when a required attribute is missing', async () => {
    const { 'ce-source': _omitted, ...headers } = binaryHeaders;
    const res = await request(url, { method: 'POST', headers, body: '{}' });
    assert.equal(res.statusCode, 400);
    const body = (await res.body.json()) as {
      code: string;
      attribute: string;
      rule: string;
      message: string;
    };
    assert.equal(body.code, 'MESH_EVENT_INVALID');
    assert.equal(body.attribute, 'source');
    assert.ok(body.rule.length > 0);
    assert.match(body.message, /source/);
  });

  test('400 with a clear message for spec versions other than 1.0', async () => {
    const res = await request(url, {
      method: 'POST',
      headers: { ...binaryHeaders, 'ce-specversion': '0.3' },
      body: '{}',
    });
    assert.equal(res.statusCode, 400);
    const body = (await res.body.json()) as { code: string; message: string };
    assert.equal(body.code, 'MESH_SPECVERSION_UNSUPPORTED');
    assert.match(body.message, /0\.3/);
  });

  test('400 for malformed structured JSON', async () => {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: '{"id":',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(((await res.body.json()) as { code: string }).code, 'MESH_BODY_MALFORMED');
  });

  test('400 when knativebrokerttl is 0 (a reply loop must end)', async () => {
    const res = await request(url, {
      method: 'POST',
      headers: { ...binaryHeaders, 'ce-knativebrokerttl': '0' },
      body: '{}',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(((await res.body.json()) as { code: string }).code, 'MESH_TTL_EXHAUSTED');
  });

  test('404 for an unknown broker, an unknown namespace and a path that is no broker', async () => {
    for (const path of ['/default/nope', '/nowhere/default', '/default', '/a/b/c', '/']) {
      const res = await request(`${server.ingressUrl}${path}`, {
        method: 'POST',
        headers: binaryHeaders,
        body: '{}',
      });
      assert.equal(res.statusCode, 404, path);
      await res.body.dump();
    }
  });

  test('405 with Allow for methods other than POST and OPTIONS', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
      const res = await request(url, { method });
      assert.equal(res.statusCode, 405, method);
      assert.equal(res.headers['allow'], 'POST, OPTIONS');
      await res.body.dump();
    }
  });

  test('413 for a body over 1 MiB', async () => {
    const res = await request(url, {
      method: 'POST',
      headers: binaryHeaders,
      body: Buffer.alloc(1024 * 1024 + 1, 97),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(((await res.body.json()) as { code: string }).code, 'MESH_BODY_TOO_LARGE');
  });

  test('OPTIONS answers 200 with Allow and the CloudEvents webhook headers', async () => {
    const res = await request(url, {
      method: 'OPTIONS',
      headers: { 'webhook-request-origin': 'sender.example' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['allow'], 'POST, OPTIONS');
    assert.equal(res.headers['webhook-allowed-origin'], 'sender.example');
    assert.ok(res.headers['webhook-allowed-rate']);
    await res.body.dump();
  });
});
