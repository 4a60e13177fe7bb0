// The gateway's logic against a fake IngressPort: every outcome, with no HTTP and no Mesh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';
import { hashApplicationToken } from '../../core/kyma/index.js';
import type { BrokerHandle, IngressPort } from '../ingress/port.js';
import { acceptGatewayRequest, type GatewayLogic, type GatewayRequest } from './accept.js';
import { ApplicationRegistry } from './applications.js';
import type { GatewayRoute } from './routes.js';

class FakePort implements IngressPort {
  readonly stored = new Map<string, readonly CloudEvent[]>();
  readonly notReady = new Set<string>();
  readonly failing = new Map<string, unknown>();
  accepting(namespace: string, name: string): BrokerHandle {
    if (this.notReady.has(namespace)) throw new MeshError('MESH_BROKER_NOT_READY', `${namespace} not Ready`);
    return { namespace, name };
  }
  async ingest(broker: BrokerHandle, events: readonly CloudEvent[]): Promise<void> {
    await Promise.resolve();
    const failure = this.failing.get(broker.namespace);
    if (failure !== undefined) throw failure;
    this.stored.set(broker.namespace, events);
  }
}

function logic(...namespaces: string[]): GatewayLogic & { mesh: FakePort } {
  const applications = new ApplicationRegistry();
  applications.setTokenHash('commerce', hashApplicationToken('secret'));
  for (const namespace of namespaces) applications.bind('commerce', namespace);
  return {
    mesh: new FakePort(),
    applications,
    triggers: (namespace) =>
      Promise.resolve([{ filter: { attributes: { type: `${namespace}.done`, eventtypeversion: 'v1' } } }]),
    maxBodyBytes: 1024,
    newId: () => 'id-1',
  };
}

const EVENTS: GatewayRoute = { application: 'commerce', kind: 'events' };
const LEGACY: GatewayRoute = { application: 'commerce', kind: 'legacy' };
const SUBSCRIBED: GatewayRoute = { application: 'commerce', kind: 'subscribed' };

function request(body: unknown, overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'POST',
    headers: { authorization: 'Bearer secret', 'content-type': 'application/cloudevents+json' },
    body: () => Promise.resolve(Buffer.from(JSON.stringify(body))),
    ...overrides,
  };
}

const EVENT = { specversion: '1.0', id: 'e1', source: '/elsewhere', type: 'order.created' };
const LEGACY_EVENT = {
  'event-type': 'order.created',
  'event-type-version': 'v1',
  'event-time': '2024-01-01T00:00:00Z',
  data: {},
};

test('accepted: stored in every bound namespace, source := application', async () => {
  const l = logic('a', 'b');
  const outcome = await acceptGatewayRequest(l, EVENTS, request(EVENT));
  assert.equal(outcome.type, 'accepted');
  assert.deepEqual(outcome.type === 'accepted' && outcome.namespaces, ['a', 'b']);
  assert.equal(l.mesh.stored.get('b')?.[0]?.attributes['source'], 'commerce');
});

test('accepted with no namespace when the application is bound to none', async () => {
  const outcome = await acceptGatewayRequest(logic(), LEGACY, request(LEGACY_EVENT));
  assert.equal(outcome.type, 'accepted');
  assert.deepEqual(outcome.type === 'accepted' && outcome.namespaces, []);
  assert.equal(outcome.type === 'accepted' && outcome.events[0]?.attributes['id'], 'id-1');
});

const refusals: readonly {
  name: string;
  route: GatewayRoute;
  request: Partial<GatewayRequest>;
  code: string;
}[] = [
  { name: 'no token', route: EVENTS, request: { headers: {} }, code: 'MESH_UNAUTHORIZED' },
  {
    name: 'a wrong token, before the body is looked at',
    route: LEGACY,
    request: { headers: { authorization: 'Bearer guess' }, body: () => Promise.resolve(Buffer.from('{')) },
    code: 'MESH_UNAUTHORIZED',
  },
  {
    name: 'GET on the events route',
    route: EVENTS,
    request: { method: 'GET' },
    code: 'MESH_METHOD_NOT_ALLOWED',
  },
  { name: 'POST on the subscribed route', route: SUBSCRIBED, request: {}, code: 'MESH_METHOD_NOT_ALLOWED' },
  {
    name: 'a batch',
    route: EVENTS,
    request: {
      headers: { authorization: 'Bearer secret', 'content-type': 'application/cloudevents-batch+json' },
      body: () => Promise.resolve(Buffer.from(JSON.stringify([EVENT]))),
    },
    code: 'MESH_CONTENT_TYPE_UNSUPPORTED',
  },
];
for (const c of refusals) {
  test(`refused: ${c.name}`, async () => {
    const l = logic('a');
    const outcome = await acceptGatewayRequest(l, c.route, request(EVENT, c.request));
    assert.equal(outcome.type === 'refused' && outcome.error.code, c.code);
    assert.equal(l.mesh.stored.size, 0);
  });
}

test('refused, nothing stored anywhere, when one bound namespace cannot take events', async () => {
  const l = logic('a', 'b');
  l.mesh.notReady.add('b');
  const outcome = await acceptGatewayRequest(l, EVENTS, request(EVENT));
  assert.equal(outcome.type, 'refused');
  assert.match(
    outcome.type === 'refused' ? outcome.error.message : '',
    /1 of 2 bound namespace\(s\).*b not Ready/,
  );
  assert.equal(l.mesh.stored.size, 0);
});

test('refused with the store failure when no namespace stored', async () => {
  const l = logic('a');
  l.mesh.failing.set('a', new MeshError('MESH_BACKEND_FULL', 'disk full'));
  const outcome = await acceptGatewayRequest(l, EVENTS, request(EVENT));
  assert.equal(outcome.type === 'refused' && outcome.error.code, 'MESH_BACKEND_FULL');
});

test('partial: stored in some namespaces before another failed, naming both', async () => {
  const l = logic('a', 'b', 'c');
  l.mesh.failing.set('b', new MeshError('MESH_BACKEND_FULL', 'disk full'));
  const outcome = await acceptGatewayRequest(l, EVENTS, request(EVENT));
  assert.equal(outcome.type, 'partial');
  if (outcome.type !== 'partial') return;
  assert.deepEqual(outcome.stored, ['a', 'c']);
  assert.equal(outcome.failure.code, 'MESH_BACKEND_FULL');
});

test('a failure that is not a MeshError is a bug: it rejects', async () => {
  const l = logic('a');
  l.mesh.failing.set('a', new TypeError('bug'));
  await assert.rejects(acceptGatewayRequest(l, EVENTS, request(EVENT)), TypeError);
});

test('listed: the types the bound namespaces subscribe to', async () => {
  const outcome = await acceptGatewayRequest(
    logic('a', 'b'),
    SUBSCRIBED,
    request(undefined, { method: 'GET' }),
  );
  assert.deepEqual(outcome, {
    type: 'listed',
    events: [
      { name: 'a.done', version: 'v1' },
      { name: 'b.done', version: 'v1' },
    ],
  });
});
