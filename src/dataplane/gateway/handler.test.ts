import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';
import { hashApplicationToken, type TriggerSubscription } from '../../core/kyma/index.js';
import { silentLogger } from '../../core/logger.js';
import type { BrokerRuntime } from '../runtime-types.js';
import { ApplicationRegistry } from './applications.js';
import { handleGatewayRequest, type GatewayOptions, type GatewayReply } from './handler.js';
import type { GatewayMetrics } from './metrics.js';

interface World {
  readonly options: GatewayOptions;
  readonly applications: ApplicationRegistry;
  /** Events stored, per namespace. */
  readonly stored: Map<string, CloudEvent[]>;
  readonly counted: string[];
  /** Namespaces whose store fails. */
  readonly failing: Set<string>;
  /** Namespaces whose default broker exists. */
  readonly running: Set<string>;
  /** Namespaces whose default broker exists but is not Ready. */
  readonly notReady: Set<string>;
}

function world(triggers: Record<string, TriggerSubscription[]> = {}): World {
  const applications = new ApplicationRegistry();
  applications.setTokenHash('commerce', hashApplicationToken('commerce-token'));
  applications.setTokenHash('marketing', hashApplicationToken('marketing-token'));
  const stored = new Map<string, CloudEvent[]>();
  const failing = new Set<string>();
  const running = new Set<string>(['a', 'b', 'c']);
  const notReady = new Set<string>();
  const counted: string[] = [];
  const metrics: GatewayMetrics = {
    accepted: (app) => counted.push(`accepted ${app}`),
    rejected: (app, reason) => counted.push(`rejected ${app} ${reason}`),
  };
  const options: GatewayOptions = {
    mesh: {
      accepting: (namespace, name) => {
        if (notReady.has(namespace)) throw new MeshError('MESH_BROKER_NOT_READY', `${namespace} not Ready`);
        if (running.has(namespace) && name === 'default') return { namespace, name } as BrokerRuntime;
        throw new MeshError('MESH_BROKER_NOT_FOUND', `${namespace}/${name} does not exist`);
      },
      ingest: async (broker, events) => {
        await Promise.resolve();
        if (failing.has(broker.namespace)) throw new MeshError('MESH_BACKEND_FULL', 'disk full');
        stored.set(broker.namespace, [...(stored.get(broker.namespace) ?? []), ...events]);
      },
    },
    applications,
    triggers: (namespace) => Promise.resolve(triggers[namespace] ?? []),
    maxBodyBytes: 1024 * 1024,
    logger: silentLogger,
    metrics,
    newId: () => 'generated-id',
  };
  return { options, applications, stored, counted, failing, running, notReady };
}

interface Send {
  method?: string;
  path: string;
  token?: string | undefined;
  headers?: IncomingHttpHeaders;
  body?: string;
}

function send(w: World, request: Send): Promise<GatewayReply> {
  const token = 'token' in request ? request.token : 'commerce-token';
  const body = new TextEncoder().encode(request.body ?? '');
  return handleGatewayRequest(w.options, {
    method: request.method ?? 'POST',
    url: request.path,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...request.headers },
    body: (limit) =>
      body.length > limit
        ? Promise.reject(new MeshError('MESH_BODY_TOO_LARGE', `over ${limit} bytes`))
        : Promise.resolve(body),
  });
}

const binary = (extra: IncomingHttpHeaders = {}): IncomingHttpHeaders => ({
  'ce-specversion': '1.0',
  'ce-id': 'e-1',
  'ce-source': '/somewhere/else',
  'ce-type': 'order.created',
  'content-type': 'application/json',
  ...extra,
});

const legacy = JSON.stringify({
  'event-type': 'order.created',
  'event-type-version': 'v1',
  'event-time': '2018-10-16T15:00:00Z',
  data: { orderCode: '1' },
});

describe('gateway: authentication comes first', () => {
  const cases: readonly { name: string; token: string | undefined; status: number; code: string }[] = [
    { name: 'no token: 401', token: undefined, status: 401, code: 'MESH_UNAUTHORIZED' },
    { name: 'unknown token: 401', token: 'guess', status: 401, code: 'MESH_UNAUTHORIZED' },
    {
      name: "another application's token: 403",
      token: 'marketing-token',
      status: 403,
      code: 'MESH_FORBIDDEN',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const w = world();
      w.applications.bind('commerce', 'a');
      const reply = await send(w, { path: '/commerce/events', token: c.token, headers: binary() });
      assert.equal(reply.status, c.status);
      assert.equal((reply.body as { code: string }).code, c.code);
      assert.equal(w.stored.size, 0);
    });
  }
  test('401 names the Bearer scheme', async () => {
    const reply = await send(world(), { path: '/commerce/events', token: undefined });
    assert.equal(reply.headers['www-authenticate'], 'Bearer realm="cemesh gateway"');
  });
  test('before validation: a bad legacy body with no token is a 401 in the Kyma shape', async () => {
    const reply = await send(world(), { path: '/commerce/v1/events', token: undefined, body: '{' });
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.body, {
      status: 401,
      type: 'unauthorized',
      message: 'the request needs an "Authorization: Bearer <application token>" header',
      moreInfo: '',
      details: [],
    });
  });
  test('a revoked token is refused', async () => {
    const w = world();
    w.applications.setTokenHash('commerce', hashApplicationToken('new-token'));
    assert.equal((await send(w, { path: '/commerce/events', headers: binary() })).status, 401);
    const fresh = await send(w, { path: '/commerce/events', token: 'new-token', headers: binary() });
    assert.equal(fresh.status, 202);
  });
});

describe('gateway: CloudEvents route', () => {
  test('stores in the default broker of every bound namespace, source := application', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    w.applications.bind('commerce', 'b');
    const reply = await send(w, { path: '/commerce/events', headers: binary() });
    assert.deepEqual(reply, { status: 202, headers: {}, body: { namespaces: 2 } });
    assert.deepEqual([...w.stored.keys()].sort(), ['a', 'b']);
    assert.equal(w.stored.get('a')?.[0]?.attributes['source'], 'commerce');
    assert.equal(w.stored.has('c'), false);
    assert.deepEqual(w.counted, ['accepted commerce']);
  });
  test('structured mode', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    const body = JSON.stringify({ specversion: '1.0', id: '1', source: 'x', type: 't', data: { n: 1 } });
    const reply = await send(w, {
      path: '/commerce/events',
      headers: { 'content-type': 'application/cloudevents+json' },
      body,
    });
    assert.equal(reply.status, 202);
    assert.equal(w.stored.get('a')?.[0]?.attributes['source'], 'commerce');
  });
  test('no bound namespace: 202 with namespaces 0, counted as no_namespace', async () => {
    const w = world();
    const reply = await send(w, { path: '/commerce/events', headers: binary() });
    assert.deepEqual(reply.body, { namespaces: 0 });
    assert.equal(reply.status, 202);
    assert.deepEqual(w.counted, ['rejected commerce no_namespace']);
  });
  test('another spec version is a 400', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    const reply = await send(w, { path: '/commerce/events', headers: binary({ 'ce-specversion': '0.3' }) });
    assert.equal(reply.status, 400);
    assert.equal((reply.body as { code: string }).code, 'MESH_SPECVERSION_UNSUPPORTED');
  });
  test('batched mode is refused (one event per request)', async () => {
    const w = world();
    const reply = await send(w, {
      path: '/commerce/events',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: '[]',
    });
    assert.equal(reply.status, 415);
  });
  test('a failing store answers its 5xx naming where it was stored, so the sender retries', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    w.applications.bind('commerce', 'b');
    w.failing.add('b');
    const reply = await send(w, { path: '/commerce/events', headers: binary() });
    assert.equal(reply.status, 507);
    assert.equal(reply.headers['retry-after'], '30');
    assert.match((reply.body as { message: string }).message, /stored in a before the failure/);
    assert.deepEqual(w.counted, ['rejected commerce backend_full']);
  });
  test('a bound namespace whose broker is not running yet: 503 and nothing stored anywhere', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    w.applications.bind('commerce', 'new');
    const reply = await send(w, { path: '/commerce/events', headers: binary() });
    assert.equal(reply.status, 503);
    assert.equal(w.stored.size, 0);
  });
  test('a bound namespace whose broker is not Ready: 503 + Retry-After naming it, nothing stored', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    w.applications.bind('commerce', 'b');
    w.notReady.add('b');
    const reply = await send(w, { path: '/commerce/events', headers: binary() });
    assert.equal(reply.status, 503);
    assert.equal(reply.headers['retry-after'], '5');
    const body = reply.body as { code: string; message: string };
    assert.equal(body.code, 'MESH_BROKER_NOT_READY');
    assert.match(body.message, /nothing was stored: 1 of 2 bound namespace\(s\).*b not Ready/);
    assert.equal(w.stored.size, 0);
    const legacyReply = await send(w, { path: '/commerce/v1/events', body: legacy });
    assert.equal(legacyReply.status, 503, 'the legacy route no longer answers 200 published');
    assert.equal(legacyReply.headers['retry-after'], '5');
  });
  test('GET is a 405 with Allow: POST', async () => {
    const reply = await send(world(), { method: 'GET', path: '/commerce/events' });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers['allow'], 'POST');
  });
});

describe('gateway: legacy route', () => {
  test('200 published with the event id; the event carries eventtypeversion', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    const reply = await send(w, { path: '/commerce/v1/events', body: legacy });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      'event-id': 'generated-id',
      status: 'published',
      reason: 'stored in 1 bound namespace(s)',
    });
    const event = w.stored.get('a')?.[0];
    assert.equal(event?.attributes['eventtypeversion'], 'v1');
    assert.equal(event?.attributes['source'], 'commerce');
  });
  test('no bound namespace: 200 ignored, with the reason', async () => {
    const reply = await send(world(), { path: '/commerce/v1/events', body: legacy });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      'event-id': 'generated-id',
      status: 'ignored',
      reason: 'application commerce is bound to no namespace; the event was not stored',
    });
  });
  test('over 64 KiB: 413 request_body_too_large', async () => {
    const reply = await send(world(), { path: '/commerce/v1/events', body: 'x'.repeat(64 * 1024 + 1) });
    assert.equal(reply.status, 413);
    assert.equal((reply.body as { type: string }).type, 'request_body_too_large');
  });
  test('a validation error in the Kyma shape', async () => {
    const reply = await send(world(), { path: '/commerce/v1/events', body: '{"event-type":"t"}' });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body, {
      status: 400,
      type: 'validation_violation',
      message: 'Missing field',
      moreInfo: '',
      details: [
        { field: 'event-type-version', type: 'missing_field', message: 'Missing field', moreInfo: '' },
      ],
    });
  });
  test('a storage failure in the Kyma shape, with the store status', async () => {
    const w = world();
    w.applications.bind('commerce', 'a');
    w.failing.add('a');
    const reply = await send(w, { path: '/commerce/v1/events', body: legacy });
    assert.equal(reply.status, 507);
    assert.deepEqual(reply.body, {
      status: 507,
      type: 'backend_full',
      message: 'disk full',
      moreInfo: '',
      details: [],
    });
  });
});

describe('gateway: subscribed events', () => {
  test('lists the types triggers of bound namespaces subscribe to', async () => {
    const filter = (type: string): TriggerSubscription => ({
      filter: { attributes: { type, eventtypeversion: 'v1', source: 'commerce' } },
    });
    const w = world({ a: [filter('order.created')], b: [filter('order.shipped')], c: [filter('secret')] });
    w.applications.bind('commerce', 'a');
    w.applications.bind('commerce', 'b');
    const reply = await send(w, { method: 'GET', path: '/commerce/v1/events/subscribed' });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      events: [
        { name: 'order.created', version: 'v1' },
        { name: 'order.shipped', version: 'v1' },
      ],
    });
  });
});

describe('gateway: paths', () => {
  test('an unknown path is a 404 before any authentication', async () => {
    const w = world();
    const reply = await send(w, { path: '/commerce/v2/events', token: undefined });
    assert.equal(reply.status, 404);
    assert.deepEqual(w.counted, ['rejected  not_found']);
  });
  test('an unknown application name is not used as a metric label', async () => {
    const w = world();
    await send(w, { path: '/made-up/events', token: undefined });
    assert.deepEqual(w.counted, ['rejected  unauthorized']);
  });
});
