// CESQL filters through a running server: triggers deliver exactly the events their expression matches;
// `any`/`all`/`not` compose with CESQL; invalid expressions are refused at admission with their path.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { quiet, startSubscriber, type Subscriber } from '../support/subscriber.js';

let server: TestServer;
const subscribers = new Map<string, Subscriber>();

const filters: Record<string, unknown[]> = {
  equality: [{ cesql: "type = 'order.created'" }],
  like: [{ cesql: "type LIKE 'order.%' AND source LIKE '%/eu'" }],
  in: [{ cesql: "region IN ('eu', 'us') AND NOT (priority > 5)" }],
  composed: [
    {
      any: [
        { cesql: "LOWER(type) = 'audit.event'" },
        { all: [{ exact: { source: '/shop/us' } }, { not: { cesql: 'EXISTS region' } }] },
      ],
    },
  ],
  erroring: [{ cesql: "INT(type) > 0 OR type = 'order.created'" }],
};

const events: Record<string, string>[] = [
  { id: 'e1', type: 'order.created', source: '/shop/eu', region: 'eu', priority: '3' },
  { id: 'e2', type: 'order.updated', source: '/shop/us', region: 'us', priority: '9' },
  { id: 'e3', type: 'AUDIT.EVENT', source: '/audit' },
  { id: 'e4', type: 'invoice.paid', source: '/shop/us' },
  { id: 'e5', type: 'order.created', source: '/shop/eu', region: 'apac' },
];

const expected: Record<string, string[]> = {
  equality: ['e1', 'e5'],
  like: ['e1', 'e5'],
  in: ['e1'],
  composed: ['e3', 'e4'],
  // INT('order.created') is a cast error: the spec says evaluation errors make the filter not match.
  erroring: [],
};

before(async () => {
  server = await startTestServer();
  await server.apply(broker('default'));
  for (const [name, list] of Object.entries(filters)) {
    const subscriber = await startSubscriber();
    subscribers.set(name, subscriber);
    await server.apply(
      trigger(name, { broker: 'default', subscriber: { uri: subscriber.url }, filters: list }),
    );
  }
});
after(async () => {
  await server.stop();
  for (const s of subscribers.values()) await s.close();
});

test('each CESQL trigger receives exactly the events its expression matches', async () => {
  for (const event of events) {
    const headers: Record<string, string> = { 'ce-specversion': '1.0' };
    for (const [name, value] of Object.entries(event)) headers[`ce-${name}`] = value;
    const res = await request(`${server.ingressUrl}/default/default`, { method: 'POST', headers });
    assert.equal(res.statusCode, 202);
    await res.body.dump();
  }
  for (const [name, ids] of Object.entries(expected)) await subscribers.get(name)!.waitFor(ids.length);
  await quiet(300);
  for (const [name, ids] of Object.entries(expected)) {
    const got = subscribers
      .get(name)!
      .received.map((r) => String(r.headers['ce-id']))
      .sort();
    assert.deepEqual(got, ids, name);
  }
  const metrics = await request(`${server.adminUrl}/metrics`);
  const text = await metrics.body.text();
  assert.match(text, /cemesh_cesql_errors_total\{namespace="default",trigger="erroring"\} [1-9]/);
});

test('invalid CESQL is refused at admission (422) with its path and the parse error', async () => {
  const res = await server.api(
    'POST',
    '/apis/eventing.knative.dev/v1/namespaces/default/triggers',
    trigger('bad', {
      broker: 'default',
      subscriber: { uri: 'http://127.0.0.1:1/' },
      filters: [{ exact: { type: 'x' } }, { cesql: "type = 'x' AND (source = 'y'" }, { cesql: 'NOPE(type)' }],
    }),
  );
  assert.equal(res.status, 422);
  const causes = res.body.details.causes as { field: string; message: string }[];
  const byField = Object.fromEntries(causes.map((c) => [c.field, c.message]));
  assert.match(byField['spec.filters[1].cesql'] ?? '', /expected '\)' at 1:\d+/);
  assert.match(byField['spec.filters[2].cesql'] ?? '', /unknown function NOPE/);
});
