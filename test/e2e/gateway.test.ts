// The application gateway end to end (ARCHITECTURE 2.3): an application bound to namespaces A and B (not C)
// sends through both endpoints; triggers in A and B receive its events, the Kyma way; C never does, even with
// a catch-all trigger on its default broker; unbinding B stops delivery there; tokens are checked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { broker, namespace, settle, startTestServer, trigger, type TestServer } from '../support/server.js';
import { quiet, startSubscriber, type Received, type Subscriber } from '../support/subscriber.js';

const GROUP = '/apis/applicationconnector.kyma-project.io/v1alpha1';

function application(name: string): Resource {
  return {
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: { description: `the ${name} system` },
  };
}

function mapping(name: string, ns: string): Resource {
  return {
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'ApplicationMapping',
    metadata: { name, namespace: ns },
  };
}

/** A trigger selecting commerce's order.created v1 events the Kyma way. */
function kymaTrigger(ns: string, subscriber: Subscriber): Resource {
  return trigger(
    'orders',
    {
      broker: 'default',
      filter: { attributes: { type: 'order.created', eventtypeversion: 'v1', source: 'commerce' } },
      subscriber: { uri: subscriber.url },
    },
    ns,
  );
}

async function issueToken(server: TestServer, app: string): Promise<string> {
  const res = await server.api('POST', `${GROUP}/applications/${app}/token`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { token: string }).token;
}

/** Polls until `check` passes (the reconciler works through watch events, a few hops each). */
async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function isReady(server: TestServer, path: string): Promise<void> {
  const res = await server.api('GET', path);
  const ready = (res.body as Resource | undefined)?.status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'True', `${path}: ${JSON.stringify(res.body)}`);
}

interface Reply {
  status: number;
  body: any;
}

async function post(
  server: TestServer,
  path: string,
  token: string | undefined,
  headers: Record<string, string>,
  body: string,
): Promise<Reply> {
  const res = await request(`${server.gatewayUrl}${path}`, {
    method: 'POST',
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text === '' ? undefined : JSON.parse(text) };
}

function cloudEvent(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-source': '/pretending/to/be/someone/else',
    'ce-type': 'order.created',
    'ce-eventtypeversion': 'v1',
    'content-type': 'application/json',
    ...extra,
  };
}

describe('application gateway: bindings are the access permission', () => {
  let server: TestServer;
  let a: Subscriber;
  let b: Subscriber;
  let cKyma: Subscriber;
  let cAll: Subscriber;
  let token: string;

  before(async () => {
    server = await startTestServer();
    [a, b, cKyma, cAll] = await Promise.all([
      startSubscriber(),
      startSubscriber(),
      startSubscriber(),
      startSubscriber(),
    ]);
    // A has no default broker: the mapping creates it. B and C have one already.
    await server.apply(
      namespace('ns-a'),
      namespace('ns-b'),
      namespace('ns-c'),
      broker('default', 'ns-b'),
      broker('default', 'ns-c'),
      application('commerce'),
      application('marketing'),
      mapping('commerce', 'ns-a'),
      mapping('commerce', 'ns-b'),
      kymaTrigger('ns-a', a),
      kymaTrigger('ns-b', b),
      kymaTrigger('ns-c', cKyma),
      trigger('everything', { broker: 'default', subscriber: { uri: cAll.url } }, 'ns-c'),
    );
    await eventually(async () => {
      for (const ns of ['ns-a', 'ns-b', 'ns-c']) {
        await isReady(server, `/apis/eventing.knative.dev/v1/namespaces/${ns}/triggers/orders`);
      }
      await isReady(server, `${GROUP}/namespaces/ns-a/applicationmappings/commerce`);
      await isReady(server, `${GROUP}/namespaces/ns-b/applicationmappings/commerce`);
    });
    token = await issueToken(server, 'commerce');
  });

  after(async () => {
    await server.stop();
    for (const s of [a, b, cKyma, cAll]) await s.close();
  });

  test('the Application shows its gateway URLs; the mapping created the default broker of A', async () => {
    const app = await server.api('GET', `${GROUP}/applications/commerce`);
    assert.equal(app.body.status.gatewayUrl, `${server.gatewayUrl}/commerce`);
    assert.equal(app.body.status.eventsUrl, `${server.gatewayUrl}/commerce/events`);
    await isReady(server, `${GROUP}/applications/commerce`);
    const created = await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/ns-a/brokers/default');
    assert.equal(created.status, 200);
    assert.ok(created.body.metadata.uid);
  });

  test('CloudEvents endpoint: triggers in A and B receive the event with source forced to the application', async () => {
    const reply = await post(server, '/commerce/events', token, cloudEvent('ce-1'), '{"orderCode":"1"}');
    assert.deepEqual(reply, { status: 202, body: { namespaces: 2 } });
    for (const sub of [a, b]) {
      const [got] = await sub.waitFor(1);
      assert.equal(got?.headers['ce-id'], 'ce-1');
      assert.equal(got?.headers['ce-source'], 'commerce');
      assert.equal(got?.headers['ce-type'], 'order.created');
      assert.equal(got?.headers['ce-eventtypeversion'], 'v1');
      assert.equal(got?.body.toString(), '{"orderCode":"1"}');
    }
  });

  test('structured mode is accepted too', async () => {
    const event = {
      specversion: '1.0',
      id: 'ce-2',
      source: 'elsewhere',
      type: 'order.created',
      eventtypeversion: 'v1',
      datacontenttype: 'application/json',
      data: { orderCode: '2' },
    };
    const reply = await post(
      server,
      '/commerce/events',
      token,
      { 'content-type': 'application/cloudevents+json' },
      JSON.stringify(event),
    );
    assert.equal(reply.status, 202);
    for (const sub of [a, b]) {
      const received = await sub.waitFor(2);
      assert.equal(received[1]?.headers['ce-source'], 'commerce');
      assert.equal(received[1]?.headers['ce-id'], 'ce-2');
    }
  });

  test('legacy endpoint, a request as Kyma documents it (with event-id): Kyma reply, CloudEvent with eventtypeversion, data intact', async () => {
    const data = '{ "orderCode": "3211213", "total": 10.50 }';
    const body = `{
      "event-type": "order.created",
      "event-type-version": "v1",
      "event-id": "2a3b8ba5-e7c2-43f7-9fe9-51e6c4f1e9e6",
      "event-time": "2018-10-16T15:00:00Z",
      "data": ${data}
    }`;
    const reply = await post(
      server,
      '/commerce/v1/events',
      token,
      { 'content-type': 'application/json' },
      body,
    );
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      'event-id': '2a3b8ba5-e7c2-43f7-9fe9-51e6c4f1e9e6',
      status: 'published',
      reason: 'stored in 2 bound namespace(s)',
    });
    for (const sub of [a, b]) {
      const got = (await sub.waitFor(3))[2] as Received;
      assert.equal(got.headers['ce-id'], '2a3b8ba5-e7c2-43f7-9fe9-51e6c4f1e9e6');
      assert.equal(got.headers['ce-source'], 'commerce');
      assert.equal(got.headers['ce-type'], 'order.created');
      assert.equal(got.headers['ce-eventtypeversion'], 'v1');
      assert.equal(got.headers['ce-time'], '2018-10-16T15:00:00Z');
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.body.toString(), data);
    }
  });

  test('legacy endpoint, a request as Kyma documents it without event-id: a new UUID is the id', async () => {
    const body = JSON.stringify({
      'event-type': 'order.created',
      'event-type-version': 'v1',
      'event-time': '2020-09-28T14:47:16.491Z',
      data: { orderCode: '3211213' },
    });
    const reply = await post(
      server,
      '/commerce/v1/events',
      token,
      { 'content-type': 'application/json' },
      body,
    );
    assert.equal(reply.status, 200);
    assert.match(
      reply.body['event-id'],
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    for (const sub of [a, b]) {
      const got = (await sub.waitFor(4))[3] as Received;
      assert.equal(got.headers['ce-id'], reply.body['event-id']);
      assert.equal(got.body.toString(), '{"orderCode":"3211213"}');
    }
  });

  test('C never receives an application event, even with a catch-all trigger on its default broker', async () => {
    await quiet();
    assert.equal(cKyma.received.length, 0);
    assert.equal(cAll.received.length, 0);
  });

  test('subscribed events: the types triggers of bound namespaces select', async () => {
    const res = await request(`${server.gatewayUrl}/commerce/v1/events/subscribed`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(await res.body.json(), { events: [{ name: 'order.created', version: 'v1' }] });
  });

  test('a missing or unknown token is a 401; another application’s token a 403', async () => {
    const marketing = await issueToken(server, 'marketing');
    const none = await post(server, '/commerce/events', undefined, cloudEvent('t-1'), '{}');
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'MESH_UNAUTHORIZED');
    const wrong = await post(server, '/commerce/events', 'not-a-token', cloudEvent('t-2'), '{}');
    assert.equal(wrong.status, 401);
    const other = await post(server, '/commerce/events', marketing, cloudEvent('t-3'), '{}');
    assert.equal(other.status, 403);
    assert.equal(other.body.code, 'MESH_FORBIDDEN');
    const legacy = await post(server, '/commerce/v1/events', marketing, {}, '{}');
    assert.deepEqual(legacy, {
      status: 403,
      body: {
        status: 403,
        type: 'forbidden',
        message: "the token is not application commerce's; each application sends with its own token",
        moreInfo: '',
        details: [],
      },
    });
  });

  test('an application bound to no namespace: 202 with namespaces 0, legacy 200 ignored', async () => {
    const marketing = await issueToken(server, 'marketing');
    const ce = await post(server, '/marketing/events', marketing, cloudEvent('m-1'), '{}');
    assert.deepEqual(ce, { status: 202, body: { namespaces: 0 } });
    const legacy = await post(
      server,
      '/marketing/v1/events',
      marketing,
      {},
      JSON.stringify({
        'event-type': 'x',
        'event-type-version': 'v1',
        'event-time': '2020-01-01T00:00:00Z',
        data: 1,
      }),
    );
    assert.equal(legacy.status, 200);
    assert.equal(legacy.body.status, 'ignored');
  });

  test('another CloudEvents spec version is a 400', async () => {
    const reply = await post(
      server,
      '/commerce/events',
      token,
      cloudEvent('v03', { 'ce-specversion': '0.3' }),
      '{}',
    );
    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, 'MESH_SPECVERSION_UNSUPPORTED');
  });

  test('issuing a token revokes the previous one', async () => {
    const previous = token;
    token = await issueToken(server, 'commerce');
    const old = await post(server, '/commerce/events', previous, cloudEvent('r-1'), '{}');
    assert.equal(old.status, 401);
    const fresh = await post(server, '/commerce/events', token, cloudEvent('r-2'), '{"orderCode":"5"}');
    assert.equal(fresh.status, 202);
    await a.waitFor(5);
    await b.waitFor(5);
  });

  test('a token for an application that does not exist: 404 Status', async () => {
    const res = await server.api('POST', `${GROUP}/applications/nobody/token`);
    assert.equal(res.status, 404);
    assert.equal(res.body.kind, 'Status');
  });

  test('the counters per application are on /metrics', async () => {
    const res = await request(`${server.adminUrl}/metrics`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const text = await res.body.text();
    assert.match(text, /cemesh_gateway_events_accepted_total\{application="commerce"\} [1-9]/);
    assert.match(
      text,
      /cemesh_gateway_events_rejected_total\{application="commerce",reason="unauthorized"\} [1-9]/,
    );
    assert.match(
      text,
      /cemesh_gateway_events_rejected_total\{application="marketing",reason="no_namespace"\} [1-9]/,
    );
  });

  test('unbinding B stops delivery there at once; A still receives', async () => {
    const deleted = await server.api('DELETE', `${GROUP}/namespaces/ns-b/applicationmappings/commerce`);
    assert.equal(deleted.status, 200);
    await settle(server);
    const reply = await post(
      server,
      '/commerce/events',
      token,
      cloudEvent('after-unbind'),
      '{"orderCode":"6"}',
    );
    assert.deepEqual(reply, { status: 202, body: { namespaces: 1 } });
    const received = await a.waitFor(6);
    assert.equal(received[5]?.headers['ce-id'], 'after-unbind');
    await quiet();
    assert.equal(b.received.length, 5);
    assert.equal(cAll.received.length, 0);
  });

  test('deleting the Application stops its events and revokes its token', async () => {
    const deleted = await server.api('DELETE', `${GROUP}/applications/commerce`);
    assert.equal(deleted.status, 200);
    await settle(server);
    const reply = await post(server, '/commerce/events', token, cloudEvent('after-delete'), '{}');
    assert.equal(reply.status, 401);
    await eventually(async () => {
      const res = await server.api('GET', `${GROUP}/namespaces/ns-a/applicationmappings/commerce`);
      const ready = (res.body as Resource).status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.reason, 'ApplicationNotFound');
    });
  });
});
