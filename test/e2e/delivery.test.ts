// Delivery semantics through a running server with scripted subscribers (Knative data-plane spec,
// ARCHITECTURE 3): attempts and waits, what is retried, Retry-After, timeouts, dead letters, replies,
// loop protection, isolation between triggers, and the accounting in the delivery history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import {
  quiet,
  startSubscriber,
  type Answer,
  type Received,
  type Subscriber,
} from '../support/subscriber.js';

let server: TestServer;
let counter = 0;
const subscribers: Subscriber[] = [];

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
  for (const s of subscribers) await s.close();
});

async function subscriber(answer?: (n: number, r: Received) => Answer): Promise<Subscriber> {
  const s = await startSubscriber(answer);
  subscribers.push(s);
  return s;
}

/** A namespace with a default broker and the given triggers; returns the namespace name. */
async function scenario(triggers: (ns: string) => ReturnType<typeof trigger>[]): Promise<string> {
  const ns = `d${++counter}`;
  await server.apply(namespace(ns), broker('default', ns), ...triggers(ns));
  return ns;
}

async function send(
  ns: string,
  type: string,
  extra: Record<string, string> = {},
  body = '{"n":1}',
): Promise<string> {
  const id = `${type}-${++counter}`;
  const res = await request(`${server.ingressUrl}/${ns}/default`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': '/test',
      'ce-type': type,
      'content-type': 'application/json',
      ...extra,
    },
    body,
  });
  assert.equal(res.statusCode, 202, await res.body.text());
  return id;
}

function gaps(received: readonly Received[]): number[] {
  return received.slice(1).map((r, i) => r.at - received[i]!.at);
}

function assertWaits(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length, `waits ${actual.join(', ')}`);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    assert.ok(
      got >= want - 15 && got <= want + 250,
      `wait ${i + 1}: ${got} ms, expected about ${want} ms (all: ${actual.join(', ')})`,
    );
  });
}

async function history(ns: string, id: string): Promise<any> {
  const res = await server.api(
    'GET',
    `/apis/eventing.knative.dev/v1/namespaces/${ns}/brokers/default/deliveries?source=/test&id=${id}`,
  );
  assert.equal(res.status, 200);
  const items = Array.isArray(res.body) ? res.body : res.body.items;
  return items[0];
}

describe('retries', () => {
  test('exponential: retry 3 means 4 attempts, waiting delay*2^n', async () => {
    const sub = await subscriber(() => ({ status: 503 }));
    const ns = await scenario((n) => [
      trigger(
        't',
        {
          broker: 'default',
          subscriber: { uri: sub.url },
          delivery: { retry: 3, backoffPolicy: 'exponential', backoffDelay: 'PT0.05S' },
        },
        n,
      ),
    ]);
    await send(ns, 'exp');
    await sub.waitFor(4);
    await quiet(500);
    assert.equal(sub.received.length, 4);
    assertWaits(gaps(sub.received), [100, 200, 400]);
  });

  test('linear: waits delay*n', async () => {
    const sub = await subscriber(() => ({ status: 500 }));
    const ns = await scenario((n) => [
      trigger(
        't',
        {
          broker: 'default',
          subscriber: { uri: sub.url },
          delivery: { retry: 3, backoffPolicy: 'linear', backoffDelay: 'PT0.1S' },
        },
        n,
      ),
    ]);
    const id = await send(ns, 'lin');
    await sub.waitFor(4);
    await quiet(300);
    assert.equal(sub.received.length, 4);
    assertWaits(gaps(sub.received), [100, 200, 300]);
    const record = await history(ns, id);
    assert.equal(record.triggers.t.outcome, 'undeliverable');
    assert.equal(record.triggers.t.attempts.length, 4);
  });

  test('no retry on 400', async () => {
    const sub = await subscriber(() => ({ status: 400 }));
    const ns = await scenario((n) => [
      trigger(
        't',
        { broker: 'default', subscriber: { uri: sub.url }, delivery: { retry: 5, backoffDelay: 'PT0.01S' } },
        n,
      ),
    ]);
    await send(ns, 'bad');
    await sub.waitFor(1);
    await quiet(300);
    assert.equal(sub.received.length, 1);
  });

  test('Retry-After on 429 is honored, and capped by retryAfterMax', async () => {
    const honored = await subscriber((n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    const capped = await subscriber((n) =>
      n === 1 ? { status: 503, headers: { 'retry-after': '30' } } : { status: 200 },
    );
    const ns = await scenario((n) => [
      trigger(
        'honored',
        {
          broker: 'default',
          subscriber: { uri: honored.url },
          filter: { attributes: { type: 'ra.honored' } },
          delivery: { retry: 2, backoffDelay: 'PT0.01S', retryAfterMax: 'PT5S' },
        },
        n,
      ),
      trigger(
        'capped',
        {
          broker: 'default',
          subscriber: { uri: capped.url },
          filter: { attributes: { type: 'ra.capped' } },
          delivery: { retry: 2, backoffDelay: 'PT0.01S', retryAfterMax: 'PT0.3S' },
        },
        n,
      ),
    ]);
    await send(ns, 'ra.honored');
    await send(ns, 'ra.capped');
    await honored.waitFor(2, 4000);
    await capped.waitFor(2, 4000);
    assertWaits(gaps(honored.received), [1000]);
    assertWaits(gaps(capped.received), [300]);
  });

  test('the timeout ends an attempt and the next one is made', async () => {
    const sub = await subscriber((n) => (n === 1 ? { status: 200, delayMs: 1000 } : { status: 200 }));
    const ns = await scenario((n) => [
      trigger(
        't',
        {
          broker: 'default',
          subscriber: { uri: sub.url },
          delivery: { retry: 1, backoffDelay: 'PT0.01S', timeout: 'PT0.2S' },
        },
        n,
      ),
    ]);
    const id = await send(ns, 'slow');
    await sub.waitFor(2);
    assert.ok(
      sub.received[1]!.at - sub.received[0]!.at < 800,
      'the second attempt did not wait for the slow answer',
    );
    await quiet(100);
    const record = await history(ns, id);
    assert.equal(record.triggers.t.attempts[0].error, 'timeout');
    assert.equal(record.triggers.t.outcome, 'delivered');
  });
});

describe('dead letters', () => {
  test('after the last attempt the original event goes to the sink with the three extensions', async () => {
    const failing = await subscriber(() => ({ status: 500, body: 'boom: the database is down' }));
    const sink = await subscriber();
    const ns = await scenario((n) => [
      trigger(
        't',
        {
          broker: 'default',
          subscriber: { uri: failing.url },
          delivery: { retry: 1, backoffDelay: 'PT0.01S', deadLetterSink: { uri: sink.url } },
        },
        n,
      ),
    ]);
    const id = await send(ns, 'dl', { 'ce-myext': 'kept' }, '{"order":7}');
    const [dead] = await sink.waitFor(1);
    assert.equal(failing.received.length, 2);
    assert.equal(dead?.headers['ce-id'], id);
    assert.equal(dead?.headers['ce-type'], 'dl');
    assert.equal(dead?.headers['ce-myext'], 'kept');
    assert.equal(dead?.body.toString(), '{"order":7}');
    assert.equal(dead?.headers['ce-knativeerrordest'], failing.url);
    assert.equal(dead?.headers['ce-knativeerrorcode'], '500');
    assert.equal(
      Buffer.from(String(dead?.headers['ce-knativeerrordata']), 'base64').toString(),
      'boom: the database is down',
    );
    await quiet(50);
    assert.equal((await history(ns, id)).triggers.t.outcome, 'dead-lettered');
  });

  test("config-br-defaults' delivery applies to the triggers of a broker that sets none", async () => {
    const failing = await subscriber(() => ({ status: 500 }));
    const sink = await subscriber();
    const ns = `d${++counter}`;
    await server.apply(namespace('knative-eventing'), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config-br-defaults', namespace: 'knative-eventing' },
      data: {
        'default-br-config': [
          'namespaceDefaults:',
          `  ${ns}:`,
          '    delivery:',
          '      retry: 2',
          '      backoffDelay: PT0.01S',
          `      deadLetterSink: { uri: "${sink.url}" }`,
        ].join('\n'),
      },
    });
    await server.apply(
      namespace(ns),
      broker('default', ns),
      trigger('t', { broker: 'default', subscriber: { uri: failing.url } }, ns),
    );
    const id = await send(ns, 'defaulted');
    const [dead] = await sink.waitFor(1);
    assert.equal(dead?.headers['ce-id'], id);
    assert.equal(failing.received.length, 3);
    await quiet(50);
    assert.equal((await history(ns, id)).triggers.t.outcome, 'dead-lettered');
  });

  test('a failing sink leaves the event recorded as undeliverable', async () => {
    const failing = await subscriber(() => ({ status: 500 }));
    const sink = await subscriber(() => ({ status: 503 }));
    const ns = await scenario((n) => [
      trigger(
        't',
        {
          broker: 'default',
          subscriber: { uri: failing.url },
          delivery: { retry: 1, backoffDelay: 'PT0.01S', deadLetterSink: { uri: sink.url } },
        },
        n,
      ),
    ]);
    const id = await send(ns, 'dl2');
    await sink.waitFor(2);
    await quiet(100);
    assert.equal((await history(ns, id)).triggers.t.outcome, 'undeliverable');
  });
});

describe('replies', () => {
  const replyHeaders = (type: string): Record<string, string> => ({
    'ce-specversion': '1.0',
    'ce-id': `reply-${++counter}`,
    'ce-source': '/replier',
    'ce-type': type,
    'content-type': 'application/json',
  });

  test('a 200 CloudEvent response is re-ingested with TTL - 1 and reaches a second trigger', async () => {
    const replier = await subscriber(() => ({
      status: 200,
      headers: replyHeaders('order.confirmed'),
      body: '{"ok":true}',
    }));
    const audit = await subscriber();
    const ns = await scenario((n) => [
      trigger(
        'replier',
        {
          broker: 'default',
          subscriber: { uri: replier.url },
          filter: { attributes: { type: 'order.placed' } },
        },
        n,
      ),
      trigger(
        'audit',
        {
          broker: 'default',
          subscriber: { uri: audit.url },
          filter: { attributes: { type: 'order.confirmed' } },
        },
        n,
      ),
    ]);
    await send(ns, 'order.placed');
    const [reply] = await audit.waitFor(1);
    assert.equal(reply?.headers['ce-source'], '/replier');
    assert.equal(reply?.headers['ce-knativebrokerttl'], '254');
    assert.equal(reply?.body.toString(), '{"ok":true}');
  });

  test('a reply loop stops when the TTL reaches 0', async () => {
    const looper = await subscriber(() => ({ status: 200, headers: replyHeaders('loop'), body: '{}' }));
    const ns = await scenario((n) => [
      trigger(
        'loop',
        { broker: 'default', subscriber: { uri: looper.url }, filter: { attributes: { type: 'loop' } } },
        n,
      ),
    ]);
    await send(ns, 'loop', { 'ce-knativebrokerttl': '5' });
    await looper.waitFor(5);
    await quiet(300);
    assert.equal(looper.received.length, 5);
    assert.deepEqual(
      looper.received.map((r) => r.headers['ce-knativebrokerttl']),
      ['5', '4', '3', '2', '1'],
    );
  });

  test('a 202 body is never a reply', async () => {
    const accepting = await subscriber(() => ({
      status: 202,
      headers: replyHeaders('never.seen'),
      body: '{}',
    }));
    const watcher = await subscriber();
    const ns = await scenario((n) => [
      trigger(
        'a',
        { broker: 'default', subscriber: { uri: accepting.url }, filter: { attributes: { type: 'start' } } },
        n,
      ),
      trigger(
        'w',
        {
          broker: 'default',
          subscriber: { uri: watcher.url },
          filter: { attributes: { type: 'never.seen' } },
        },
        n,
      ),
    ]);
    await send(ns, 'start');
    await accepting.waitFor(1);
    await quiet(300);
    assert.equal(watcher.received.length, 0);
  });
});

describe('isolation and accounting', () => {
  test('a failing, slow trigger does not slow a healthy one on the same broker', async () => {
    const slow = await subscriber(() => ({ status: 503, delayMs: 200 }));
    const healthy = await subscriber();
    const ns = await scenario((n) => [
      trigger(
        'slow',
        { broker: 'default', subscriber: { uri: slow.url }, delivery: { retry: 3, backoffDelay: 'PT0.5S' } },
        n,
        { 'eventing.cemesh.dev/max-inflight': '2' },
      ),
      trigger('healthy', { broker: 'default', subscriber: { uri: healthy.url } }, n),
    ]);
    const total = 200;
    await Promise.all(Array.from({ length: total }, () => send(ns, 'iso')));
    await healthy.waitFor(total, 10_000);
    // By the time the healthy trigger has everything, the slow one (2 in flight, 200 ms each) has seen few.
    assert.ok(slow.received.length < 60, `slow trigger saw ${slow.received.length}`);
  });

  test('accepted x matching triggers = delivered + dead-lettered + undeliverable + in flight', async () => {
    const ok = await subscriber();
    const flaky = await subscriber((n) => ({ status: n % 3 === 0 ? 200 : 500 }));
    const rejecting = await subscriber(() => ({ status: 400 }));
    const sink = await subscriber();
    const ns = await scenario((n) => [
      trigger('ok', { broker: 'default', subscriber: { uri: ok.url } }, n),
      trigger(
        'flaky',
        {
          broker: 'default',
          subscriber: { uri: flaky.url },
          delivery: { retry: 1, backoffDelay: 'PT0.01S', deadLetterSink: { uri: sink.url } },
        },
        n,
      ),
      trigger(
        'rejecting',
        { broker: 'default', subscriber: { uri: rejecting.url }, filter: { attributes: { type: 'acct.b' } } },
        n,
      ),
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await send(ns, i % 2 === 0 ? 'acct.a' : 'acct.b'));
    await ok.waitFor(30);
    await quiet(500);
    const res = await server.api(
      'GET',
      `/apis/eventing.knative.dev/v1/namespaces/${ns}/brokers/default/deliveries?limit=1000`,
    );
    const records: any[] = Array.isArray(res.body) ? res.body : res.body.items;
    assert.equal(records.length, 30);
    const outcomes: Record<string, number> = {};
    let matched = 0;
    for (const record of records) {
      for (const t of Object.values(record.triggers) as any[]) {
        matched++;
        outcomes[t.outcome] = (outcomes[t.outcome] ?? 0) + 1;
      }
    }
    assert.equal(matched, 30 + 30 + 15);
    const settled =
      (outcomes['delivered'] ?? 0) + (outcomes['dead-lettered'] ?? 0) + (outcomes['undeliverable'] ?? 0);
    assert.equal(settled + (outcomes['pending'] ?? 0), matched);
    assert.equal(outcomes['pending'] ?? 0, 0);
    assert.equal(outcomes['undeliverable'], 15);
    assert.equal(sink.received.length, outcomes['dead-lettered']);
  });
});
