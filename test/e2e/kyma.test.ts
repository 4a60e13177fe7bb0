// Kyma's eventing through the public interfaces (docs/kyma.md): an Application bound to a namespace, a
// Subscription v1alpha2 with standard type matching, events POSTed to /publish (binary and structured) and
// to the legacy /{application}/v1/events; the sink receives Kyma's clean type. A Kyma 1.x Subscription
// (v1alpha1) applies unchanged and delivers too; a bad one is refused with the field's path; `cemesh get`
// prints the columns.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { runCli } from '../support/cli.js';
import { fn, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const APPS = '/apis/applicationconnector.kyma-project.io/v1alpha1';
const SUBSCRIPTIONS = (version: string): string =>
  `/apis/eventing.kyma-project.io/${version}/namespaces/shop/subscriptions`;
const CLEAN = 'sap.kyma.custom.commerce.order.created.v1';

function subscription(name: string, spec: Record<string, unknown>): Resource {
  return {
    apiVersion: 'eventing.kyma-project.io/v1alpha2',
    kind: 'Subscription',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

async function until<T>(what: string, read: () => Promise<T | undefined>, tries = 200): Promise<T> {
  for (let tried = 0; ; tried++) {
    const value = await read();
    if (value !== undefined) return value;
    assert.ok(tried < tries, `${what} did not happen`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Kyma eventing: Subscription, /publish and the legacy event API', () => {
  let server: TestServer;
  let sink: Subscriber;
  let legacySink: Subscriber;
  let token: string;

  const ready = (name: string): Promise<Resource> =>
    until(`Subscription ${name} Ready`, async () => {
      const res = await server.api('GET', `${SUBSCRIPTIONS('v1alpha2')}/${name}`);
      const object = res.body as Resource;
      return object.status?.['ready'] === true ? object : undefined;
    });

  const publish = (headers: Record<string, string>, body: string, auth = `Bearer ${token}`) =>
    request(`${server.gatewayUrl}/publish`, {
      method: 'POST',
      headers: { ...(auth === '' ? {} : { authorization: auth }), ...headers },
      body,
    });

  before(async () => {
    server = await startTestServer();
    sink = await startSubscriber();
    legacySink = await startSubscriber();
    await server.apply(
      namespace('shop'),
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'commerce' },
      },
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'commerce', namespace: 'shop' },
      },
    );
    token = ((await server.api('POST', `${APPS}/applications/commerce/token`)).body as { token: string })
      .token;
  });

  after(async () => {
    await server.stop();
    await sink.close();
    await legacySink.close();
  });

  test('a v1alpha2 Subscription with standard matching gets Kyma status: ready, clean types, conditions', async () => {
    await server.apply(
      subscription('orders', { source: 'commerce', types: ['order.created.v1'], sink: sink.url }),
    );
    const object = await ready('orders');
    assert.deepEqual(object.spec, {
      source: 'commerce',
      types: ['order.created.v1'],
      sink: sink.url,
      typeMatching: 'standard',
      config: { maxInFlightMessages: '10' },
    });
    assert.deepEqual(object.status?.['types'], [{ originalType: 'order.created.v1', cleanType: CLEAN }]);
    const conditions = object.status?.conditions?.map((c) => `${c.type}=${c.status}`);
    assert.deepEqual(conditions, ['Ready=True', 'Subscription active=True', 'Subscription spec valid=True']);
  });

  test('a Kyma 1.x Subscription (v1alpha1) applies unchanged and reads back as written', async () => {
    const legacy = {
      apiVersion: 'eventing.kyma-project.io/v1alpha1',
      kind: 'Subscription',
      metadata: { name: 'legacy-orders', namespace: 'shop' },
      spec: {
        endpoint: legacySink.url,
        event_type: 'order.created',
        event_type_version: 'v1',
        source_id: 'commerce',
        include_subscription_name_header: true,
        push_request_timeout_ms: 2000,
        max_inflight: 400,
      },
    };
    const created = await server.api('POST', SUBSCRIPTIONS('v1alpha1'), legacy);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const stored = await ready('legacy-orders');
    assert.deepEqual(stored.spec?.['types'], ['order.created.v1']);
    assert.deepEqual(stored.spec?.['config'], { maxInFlightMessages: '400' });
    const old = await server.api('GET', `${SUBSCRIPTIONS('v1alpha1')}/legacy-orders`);
    assert.equal(old.body.apiVersion, 'eventing.kyma-project.io/v1alpha1');
    assert.deepEqual(old.body.spec, legacy.spec);
  });

  test('/publish in binary mode: 204, and the sink receives the clean type from the application', async () => {
    const res = await publish(
      {
        'ce-specversion': '1.0',
        'ce-type': 'order.created.v1',
        'ce-source': 'commerce',
        'ce-id': 'b-1',
        'content-type': 'application/json',
      },
      '{"orderCode":"1"}',
    );
    assert.equal(res.statusCode, 204);
    assert.equal(await res.body.text(), '');
    const [got] = await sink.waitFor(1);
    assert.equal(got?.headers['ce-type'], CLEAN);
    assert.equal(got?.headers['ce-source'], 'commerce');
    assert.equal(got?.body.toString(), '{"orderCode":"1"}');
  });

  test('/publish in structured mode: 204 and delivered', async () => {
    const event = {
      specversion: '1.0',
      type: 'order.created.v1',
      source: 'commerce',
      id: 's-1',
      data: { n: 2 },
    };
    const res = await publish({ 'content-type': 'application/cloudevents+json' }, JSON.stringify(event));
    assert.equal(res.statusCode, 204);
    const received = await sink.waitFor(2);
    assert.equal(received[1]?.headers['ce-id'], 's-1');
    assert.equal(received[1]?.headers['ce-type'], CLEAN);
  });

  test('the legacy event API reaches both subscriptions, with the clean type; v1alpha1 gets its name header', async () => {
    const res = await request(`${server.gatewayUrl}/commerce/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        'event-type': 'order.created',
        'event-type-version': 'v1',
        'event-id': '31109198-4d69-4ae0-972d-76117f3748c8',
        'event-time': '2012-11-01T22:08:41+00:00',
        data: { orderCode: '3' },
      }),
    });
    assert.equal(res.statusCode, 200);
    const received = await sink.waitFor(3);
    assert.equal(received[2]?.headers['ce-type'], CLEAN);
    assert.equal(received[2]?.headers['ce-eventtypeversion'], 'v1');
    // The v1alpha1 subscription saw every event of the type: the two /publish ones and this one.
    const legacy = await legacySink.waitFor(3);
    const last = legacy.find((r) => r.headers['ce-id'] === '31109198-4d69-4ae0-972d-76117f3748c8');
    assert.equal(last?.headers['ce-type'], CLEAN);
    assert.equal(last?.headers['kyma-subscription'], 'legacy-orders');
    assert.equal(sink.received[2]?.headers['kyma-subscription'], undefined);
  });

  test('a cluster-local sink names a hosted Function: it runs with the clean type', async () => {
    const replies = await startSubscriber();
    try {
      await server.apply(
        // The function answers with a CloudEvent saying what it got; the broker takes it as a reply.
        fn(
          'seen',
          `module.exports = { main: async (event) => ({ specversion: '1.0', id: 'seen-' + event['ce-id'],
            type: 'kyma.seen', source: '/seen', datacontenttype: 'application/json',
            data: { type: event['ce-type'] } }) };`,
          {},
          'shop',
        ),
        trigger(
          'seen',
          { filter: { attributes: { type: 'kyma.seen' } }, subscriber: { uri: replies.url } },
          'shop',
        ),
        subscription('to-function', {
          source: 'commerce',
          types: ['order.shipped.v1'],
          sink: 'http://seen.shop.svc.cluster.local',
        }),
      );
      await ready('to-function');
      await until(
        'the function to run',
        async () => {
          const res = await server.api(
            'GET',
            '/apis/serverless.kyma-project.io/v1alpha2/namespaces/shop/functions/seen',
          );
          const running = (res.body as Resource).status?.conditions?.find((c) => c.type === 'Running');
          return running?.status === 'True' ? true : undefined;
        },
        800,
      );
      const res = await publish(
        { 'ce-specversion': '1.0', 'ce-type': 'order.shipped.v1', 'ce-source': 'commerce', 'ce-id': 'f-1' },
        '',
      );
      assert.equal(res.statusCode, 204);
      const [reply] = await replies.waitFor(1, 15_000);
      assert.deepEqual(JSON.parse(reply?.body.toString() ?? ''), {
        type: 'sap.kyma.custom.commerce.order.shipped.v1',
      });
    } finally {
      await replies.close();
    }
  });

  test("the subscribed-events listing names the Subscriptions' types", async () => {
    const res = await request(`${server.gatewayUrl}/commerce/v1/events/subscribed`, {
      headers: { authorization: `Bearer ${token}` },
    });
    // kyma.seen is the Trigger of the function test, listed as before.
    assert.deepEqual(await res.body.json(), {
      events: [
        { name: 'kyma.seen', version: '' },
        { name: 'order.created', version: 'v1' },
        { name: 'order.shipped', version: 'v1' },
      ],
    });
  });

  test('/publish refuses an invalid event with 400 and the reason as text, and a missing token with 401', async () => {
    const bad = await publish(
      { 'ce-specversion': '1.0', 'ce-type': 'order.created.v1', 'ce-source': 'commerce' },
      '',
    );
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /^text\/plain/);
    assert.match(await bad.body.text(), /\bid\b/);
    const anonymous = await publish({ 'ce-specversion': '1.0' }, '', '');
    assert.equal(anonymous.statusCode, 401);
    await anonymous.body.dump();
  });

  test('a bad Subscription is refused with 422 naming each field path', async () => {
    const res = await server.api(
      'POST',
      SUBSCRIPTIONS('v1alpha2'),
      subscription('bad', {
        source: 'commerce',
        types: ['order'],
        sink: 'ftp://x',
        typeMatching: 'fuzzy',
        qos: 'x',
      }),
    );
    assert.equal(res.status, 422);
    const fields = (res.body.details.causes as { field: string }[]).map((c) => c.field).sort();
    assert.deepEqual(fields, ['spec.qos', 'spec.sink', 'spec.typeMatching', 'spec.types[0]'].sort());
  });

  test('cemesh get subscriptions shows the columns', async () => {
    const env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
    const result = await runCli(['get', 'subscriptions', '-n', 'shop'], { env });
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = result.stdout.trim().split('\n');
    assert.match(header ?? '', /^NAME\s+READY\s+AGE\s+SOURCE\s+SINK\s+REASON/);
    assert.match(
      rows.find((r) => r.startsWith('orders ')) ?? '',
      /^orders\s+true\s+\S+\s+commerce\s+http:\/\/127\.0\.0\.1/,
    );
    assert.equal(rows.length, 3);
  });
});

test('--event-type-prefix sets the prefix of the clean types', async () => {
  const server = await startTestServer({ flags: { eventTypePrefix: 'acme.events' } });
  try {
    await server.apply(
      namespace('shop'),
      subscription('orders', {
        source: 'commerce',
        types: ['order.created.v1'],
        sink: 'http://127.0.0.1:9/',
      }),
    );
    const object = await until('the Subscription status', async () => {
      const res = await server.api('GET', `${SUBSCRIPTIONS('v1alpha2')}/orders`);
      return (res.body as Resource).status?.['types'] === undefined ? undefined : (res.body as Resource);
    });
    assert.deepEqual(object.status?.['types'], [
      { originalType: 'order.created.v1', cleanType: 'acme.events.commerce.order.created.v1' },
    ]);
  } finally {
    await server.stop();
  }
});
