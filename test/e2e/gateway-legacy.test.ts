// The legacy Kyma event API over HTTP (ARCHITECTURE 2.3, docs/gateway.md): every validation error returns
// the documented JSON and status, in Kyma's order; nothing invalid is stored; the size limit is 64 KiB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { quiet, startSubscriber, type Subscriber } from '../support/subscriber.js';

const GROUP = '/apis/applicationconnector.kyma-project.io/v1alpha1';

const valid = {
  'event-type': 'order.created',
  'event-type-version': 'v1',
  'event-id': '31109198-4d69-4ae0-972d-76117f3748c8',
  'event-time': '2012-11-01T22:08:41+00:00',
  data: { orderCode: '1' },
};

function without(field: string, changes: Record<string, unknown> = {}): string {
  const copy: Record<string, unknown> = { ...valid, ...changes };
  delete copy[field];
  return JSON.stringify(copy);
}

const violation = (field: string, rule: 'missing_field' | 'invalid_field'): unknown => {
  const message = rule === 'missing_field' ? 'Missing field' : 'Invalid field';
  return {
    status: 400,
    type: 'validation_violation',
    message,
    moreInfo: '',
    details: [{ field, type: rule, message, moreInfo: '' }],
  };
};

const cases: readonly { name: string; body: string; json: unknown }[] = [
  {
    name: 'empty body',
    body: '',
    json: {
      status: 400,
      type: 'bad_payload_syntax',
      message: 'Bad payload syntax',
      moreInfo: 'Bad payload syntax',
      details: [],
    },
  },
  { name: 'event-type missing', body: without('event-type'), json: violation('event-type', 'missing_field') },
  {
    name: 'event-type-version missing',
    body: without('event-type-version'),
    json: violation('event-type-version', 'missing_field'),
  },
  {
    name: 'event-type-version invalid',
    body: JSON.stringify({ ...valid, 'event-type-version': '-' }),
    json: violation('event-type-version', 'invalid_field'),
  },
  { name: 'event-time missing', body: without('event-time'), json: violation('event-time', 'missing_field') },
  {
    name: 'event-time invalid',
    body: JSON.stringify({ ...valid, 'event-time': '01.11.2012' }),
    json: violation('event-time', 'invalid_field'),
  },
  {
    name: 'event-id invalid',
    body: JSON.stringify({ ...valid, 'event-id': 'order-1' }),
    json: violation('event-id', 'invalid_field'),
  },
  { name: 'data missing', body: without('data'), json: violation('data', 'missing_field') },
  {
    name: 'data the empty string',
    body: JSON.stringify({ ...valid, data: '' }),
    json: violation('data', 'missing_field'),
  },
  {
    name: 'several broken rules: the first in Kyma order is reported',
    body: JSON.stringify({ 'event-type': 'x', 'event-time': 'never', 'event-id': 'x' }),
    json: violation('event-type-version', 'missing_field'),
  },
];

describe('legacy event API errors over HTTP', () => {
  let server: TestServer;
  let sub: Subscriber;
  let token: string;

  async function publish(
    body: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: unknown }> {
    const res = await request(`${server.gatewayUrl}/commerce/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body,
    });
    assert.equal(res.headers['content-type'], 'application/json');
    return { status: res.statusCode, json: await res.body.json() };
  }

  before(async () => {
    server = await startTestServer();
    sub = await startSubscriber();
    await server.apply(
      namespace('legacy'),
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'commerce' },
      },
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'commerce', namespace: 'legacy' },
      },
      trigger('all', { broker: 'default', subscriber: { uri: sub.url } }, 'legacy'),
    );
    // The mapping creates the namespace's default broker; wait until it is bound and the broker is ready.
    for (let tries = 0; ; tries++) {
      const res = await server.api('GET', `${GROUP}/namespaces/legacy/applicationmappings/commerce`);
      const ready = (res.body as Resource).status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status === 'True') break;
      assert.ok(tries < 200, `the mapping did not get ready: ${JSON.stringify(res.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const issued = await server.api('POST', `${GROUP}/applications/commerce/token`);
    token = (issued.body as { token: string }).token;
  });

  after(async () => {
    await server.stop();
    await sub.close();
  });

  for (const c of cases) {
    test(`${c.name}: 400 with the documented JSON`, async () => {
      const reply = await publish(c.body);
      assert.deepEqual(reply, { status: 400, json: c.json });
    });
  }

  test('malformed JSON: 400 bad_payload_syntax saying where', async () => {
    const reply = await publish('{"event-type": "order.created",');
    assert.equal(reply.status, 400);
    const json = reply.json as { type: string; message: string; moreInfo: string; details: unknown[] };
    assert.equal(json.type, 'bad_payload_syntax');
    assert.equal(json.message, 'Bad payload syntax');
    assert.match(json.moreInfo, /line 1, column/);
    assert.deepEqual(json.details, []);
  });

  test('a body over 64 KiB: 413 request_body_too_large', async () => {
    const big = JSON.stringify({ ...valid, data: 'x'.repeat(64 * 1024) });
    const reply = await publish(big);
    assert.equal(reply.status, 413);
    assert.deepEqual(reply.json, {
      status: 413,
      type: 'request_body_too_large',
      message: 'Request body too large',
      moreInfo: 'request body is over the limit of 65536 bytes',
      details: [],
    });
  });

  test('GET on the publish path: 405 in the Kyma shape, with Allow', async () => {
    const res = await request(`${server.gatewayUrl}/commerce/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers['allow'], 'POST');
    assert.equal(((await res.body.json()) as { type: string }).type, 'method_not_allowed');
  });

  test('none of the refused requests was stored; a valid one is', async () => {
    await quiet();
    assert.equal(sub.received.length, 0);
    const reply = await publish(JSON.stringify(valid));
    assert.equal(reply.status, 200);
    const [got] = await sub.waitFor(1);
    assert.equal(got?.headers['ce-id'], valid['event-id']);
    assert.equal(got?.headers['ce-time'], valid['event-time']);
  });
});
