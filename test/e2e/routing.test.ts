// Routing and delivery through a running server: every filter dialect, attributes and data unchanged,
// fan-out to two triggers, namespace isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { quiet, startSubscriber, type Subscriber } from '../support/subscriber.js';

async function send(
  server: TestServer,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<void> {
  const res = await request(`${server.ingressUrl}${path}`, { method: 'POST', headers, body: body ?? '' });
  const text = await res.body.text();
  assert.equal(res.statusCode, 202, text);
}

function ce(type: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'ce-specversion': '1.0',
    'ce-id': `${type}-${Math.random()}`,
    'ce-source': '/orders/eu',
    'ce-type': type,
    ...extra,
  };
}

describe('routing with each filter dialect', () => {
  let server: TestServer;
  const subscribers = new Map<string, Subscriber>();
  const cases: {
    name: string;
    spec: Record<string, unknown>;
    matches: Record<string, string>[];
    misses: Record<string, string>[];
  }[] = [
    {
      name: 'legacy-attributes',
      spec: { filter: { attributes: { type: 'order.created', source: '/orders/eu' } } },
      matches: [ce('order.created')],
      misses: [ce('order.updated')],
    },
    {
      name: 'legacy-present',
      spec: { filter: { attributes: { region: '' } } },
      matches: [ce('x', { 'ce-region': 'eu' })],
      misses: [ce('x')],
    },
    {
      name: 'exact',
      spec: { filters: [{ exact: { type: 'order.created' } }] },
      matches: [ce('order.created')],
      misses: [ce('order.created.v2')],
    },
    {
      name: 'prefix',
      spec: { filters: [{ prefix: { type: 'order.' } }] },
      matches: [ce('order.shipped')],
      misses: [ce('invoice.order.x')],
    },
    {
      name: 'suffix',
      spec: { filters: [{ suffix: { type: '.created' } }] },
      matches: [ce('user.created')],
      misses: [ce('user.created.not')],
    },
    {
      name: 'all',
      spec: { filters: [{ all: [{ prefix: { type: 'order.' } }, { exact: { source: '/orders/eu' } }] }] },
      matches: [ce('order.x')],
      misses: [{ ...ce('order.x'), 'ce-source': '/orders/us' }],
    },
    {
      name: 'any',
      spec: { filters: [{ any: [{ exact: { type: 'a.one' } }, { exact: { type: 'a.two' } }] }] },
      matches: [ce('a.two')],
      misses: [ce('a.three')],
    },
    {
      name: 'not',
      spec: { filters: [{ not: { prefix: { type: 'internal.' } } }] },
      matches: [ce('public.x')],
      misses: [ce('internal.x')],
    },
  ];

  before(async () => {
    server = await startTestServer();
    await server.apply(namespace('filters'), broker('default', 'filters'));
    for (const c of cases) {
      const subscriber = await startSubscriber();
      subscribers.set(c.name, subscriber);
      await server.apply(
        trigger(c.name, { broker: 'default', subscriber: { uri: subscriber.url }, ...c.spec }, 'filters'),
      );
    }
  });
  after(async () => {
    await server.stop();
    for (const s of subscribers.values()) await s.close();
  });

  for (const c of cases) {
    test(`${c.name}: delivers what matches and nothing else`, async () => {
      const subscriber = subscribers.get(c.name)!;
      const before = subscriber.received.length;
      for (const headers of [...c.misses, ...c.matches]) await send(server, '/filters/default', headers);
      await subscriber.waitFor(before + c.matches.length);
      await quiet();
      const got = subscriber.received.slice(before).map((r) => r.headers['ce-id']);
      assert.deepEqual(got.sort(), c.matches.map((m) => m['ce-id']).sort());
    });
  }
});

describe('delivery keeps the event as sent', () => {
  let server: TestServer;
  let first: Subscriber;
  let second: Subscriber;
  let elsewhere: Subscriber;

  before(async () => {
    server = await startTestServer();
    first = await startSubscriber();
    second = await startSubscriber();
    elsewhere = await startSubscriber();
    await server.apply(
      namespace('team-a'),
      namespace('team-b'),
      broker('default', 'team-a'),
      broker('default', 'team-b'),
      trigger('one', { broker: 'default', subscriber: { uri: first.url } }, 'team-a'),
      trigger('two', { broker: 'default', subscriber: { uri: second.url } }, 'team-a'),
      trigger('other', { broker: 'default', subscriber: { uri: elsewhere.url } }, 'team-b'),
    );
  });
  after(async () => {
    await server.stop();
    for (const s of [first, second, elsewhere]) await s.close();
  });

  test('attributes, extensions and JSON data arrive unchanged, with the Knative extensions', async () => {
    const headers = {
      ...ce('order.created'),
      'ce-subject': 'order/42',
      'ce-time': '2026-11-27T10:00:00.123456789Z',
      'ce-dataschema': 'https://schemas.example/order.json',
      'ce-myext': 'hello world %25 done',
      'content-type': 'application/json; charset=utf-8',
    };
    const body = '{"id": 42,  "items": ["a", "b"] }';
    await send(server, '/team-a/default', headers, body);
    const [got] = await first.waitFor(1);
    assert.ok(got);
    // Header values are compared as values: the HTTP binding (3.1.3.2) lets the wire encoding differ.
    for (const [name, value] of Object.entries(headers)) {
      assert.equal(decodeURIComponent(String(got.headers[name])), decodeURIComponent(value), name);
    }
    assert.equal(got.headers['ce-myext'], 'hello%20world%20%25%20done');
    assert.equal(got.body.toString(), body);
    assert.ok(got.headers['ce-knativearrivaltime']);
    assert.ok(!Number.isNaN(Date.parse(String(got.headers['ce-knativearrivaltime']))));
    assert.equal(got.headers['ce-knativebrokerttl'], '255');
    assert.equal(got.headers['prefer'], 'reply');
    assert.equal(got.headers['kn-namespace'], 'team-a');
  });

  test('text and binary data arrive byte for byte', async () => {
    const n = first.received.length;
    const binary = Buffer.from([0, 1, 2, 254, 255, 128, 10, 13]);
    await send(
      server,
      '/team-a/default',
      { ...ce('t.text'), 'content-type': 'text/plain' },
      'plain text ünïcode',
    );
    await send(
      server,
      '/team-a/default',
      { ...ce('t.bin'), 'content-type': 'application/octet-stream' },
      binary,
    );
    const got = (await first.waitFor(n + 2)).slice(n);
    const text = got.find((r) => r.headers['ce-type'] === 't.text');
    const bin = got.find((r) => r.headers['ce-type'] === 't.bin');
    assert.equal(text?.body.toString('utf8'), 'plain text ünïcode');
    assert.equal(text?.headers['content-type'], 'text/plain');
    assert.deepEqual(bin?.body, binary);
  });

  test('a structured-mode event is delivered in binary mode with the same attributes and data', async () => {
    const n = first.received.length;
    const event = {
      specversion: '1.0',
      id: 'st-1',
      source: '/s',
      type: 't.structured',
      myint: 7,
      mybool: true,
      data: { k: 'v' },
    };
    await send(
      server,
      '/team-a/default',
      { 'content-type': 'application/cloudevents+json' },
      JSON.stringify(event),
    );
    const [got] = (await first.waitFor(n + 1)).slice(n);
    assert.equal(got?.headers['ce-id'], 'st-1');
    assert.equal(got?.headers['ce-myint'], '7');
    assert.equal(got?.headers['ce-mybool'], 'true');
    assert.deepEqual(JSON.parse(String(got?.body)), { k: 'v' });
  });

  test('two triggers on one broker both receive every event', async () => {
    const a = first.received.length;
    const b = second.received.length;
    for (let i = 0; i < 5; i++) await send(server, '/team-a/default', ce('fan.out'));
    await first.waitFor(a + 5);
    await second.waitFor(b + 5);
  });

  test('a trigger in another namespace with the same broker name never receives', async () => {
    const got = elsewhere.received.length;
    await send(server, '/team-a/default', ce('isolated'));
    await quiet(200);
    assert.equal(elsewhere.received.length, got);
    await send(server, '/team-b/default', ce('isolated'));
    await elsewhere.waitFor(got + 1);
  });

  test("each namespace's triggers carry their own kn-namespace (the headers triggers share per namespace)", async () => {
    const [a, b] = [first.received.length, elsewhere.received.length];
    await send(server, '/team-a/default', ce('whose.namespace'));
    await send(server, '/team-b/default', ce('whose.namespace'));
    const [toA] = (await first.waitFor(a + 1)).slice(a);
    const [toB] = (await elsewhere.waitFor(b + 1)).slice(b);
    assert.equal(toA?.headers['kn-namespace'], 'team-a');
    assert.equal(toB?.headers['kn-namespace'], 'team-b');
    assert.equal(toB?.headers['prefer'], 'reply');
  });
});
