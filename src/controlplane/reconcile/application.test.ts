import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applicationCredential, hashApplicationToken } from '../../core/kyma/index.js';
import type { Resource } from '../../core/resources/object.js';
import type { ResourceStore } from '../../store/contracts.js';
import { createMemoryResourceStore } from '../../store/memory/index.js';
import {
  applicationDeleted,
  reconcileApplication,
  reconcileApplicationCredential,
  reconcileApplicationMapping,
  type ApplicationContext,
} from './application.js';
import { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';

const NOW = '2024-05-01T12:00:00.000Z';
const GROUP = 'applicationconnector.kyma-project.io/v1alpha1';

const application = (name: string): Resource => ({
  apiVersion: GROUP,
  kind: 'Application',
  metadata: { name, uid: `app-${name}`, generation: 1 },
});
const mapping = (name: string, namespace: string): Resource => ({
  apiVersion: GROUP,
  kind: 'ApplicationMapping',
  metadata: { name, namespace, uid: `map-${namespace}-${name}`, generation: 1 },
});
const readyBroker = (namespace: string): Resource => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'default', namespace, uid: `broker-${namespace}` },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

function setup(resources: ResourceStore = createMemoryResourceStore()): {
  ctx: ApplicationContext;
  cache: ResourceCache;
  calls: string[];
  resources: ResourceStore;
} {
  const cache = new ResourceCache();
  const calls: string[] = [];
  const dataPlane: DataPlane = {
    ensureBroker: () => Promise.resolve(),
    removeBroker: () => Promise.resolve(),
    migrateBroker: () => Promise.reject(new Error('no brokers here')),
    setBrokerReadiness: () => undefined,
    ensureTrigger: () => Promise.resolve(),
    removeTrigger: () => Promise.resolve(),
    bindApplication: (app, ns) => calls.push(`bind ${app} ${ns}`),
    unbindApplication: (app, ns) => calls.push(`unbind ${app} ${ns}`),
    setApplicationTokenHash: (app, hash) => calls.push(`hash ${app} ${hash ?? 'revoked'}`),
    ensureFunction: () => {},
    removeFunction: () => Promise.resolve(),
    functionState: () => undefined,
  };
  const ctx = { cache, dataPlane, resources, gatewayUrl: 'http://127.0.0.1:8090', now: NOW };
  return { ctx, cache, calls, resources };
}

const readyOf = (status: Record<string, unknown>): unknown =>
  (status['conditions'] as { type: string }[]).find((c) => c.type === 'Ready');

describe('Application status', () => {
  test('Ready, with the gateway and events URLs', () => {
    const { ctx } = setup();
    assert.deepEqual(reconcileApplication(ctx, application('commerce')), {
      observedGeneration: 1,
      gatewayUrl: 'http://127.0.0.1:8090/commerce',
      eventsUrl: 'http://127.0.0.1:8090/commerce/events',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW }],
    });
  });
});

describe('ApplicationMapping', () => {
  test('without its Application: not bound, Ready False ApplicationNotFound', async () => {
    const { ctx, cache, calls } = setup();
    const m = mapping('commerce', 'a');
    cache.put(m);
    const status = await reconcileApplicationMapping(ctx, m);
    assert.deepEqual(calls, ['unbind commerce a']);
    assert.deepEqual(readyOf(status), {
      type: 'Ready',
      status: 'False',
      reason: 'ApplicationNotFound',
      message: 'Application "commerce" does not exist',
      lastTransitionTime: NOW,
    });
  });

  test('creating a mapping ensures the namespace default broker exists, then binds', async () => {
    const { ctx, cache, calls, resources } = setup();
    const m = mapping('commerce', 'a');
    cache.put(application('commerce'));
    cache.put(m);
    const status = await reconcileApplicationMapping(ctx, m);
    const broker = await resources.get({ kind: 'Broker', namespace: 'a', name: 'default' });
    assert.ok(broker?.metadata.uid);
    assert.equal(broker?.metadata.generation, 1);
    assert.equal(broker?.metadata.creationTimestamp, NOW);
    assert.equal(broker?.metadata.annotations?.['eventing.knative.dev/broker.class'], 'MTChannelBasedBroker');
    assert.deepEqual(calls, ['bind commerce a']);
    assert.equal((readyOf(status) as { reason: string }).reason, 'BrokerNotReady');
  });

  test('with a ready default broker: bound and Ready True', async () => {
    const { ctx, cache, calls } = setup();
    const m = mapping('commerce', 'a');
    cache.put(application('commerce'));
    cache.put(readyBroker('a'));
    cache.put(m);
    const status = await reconcileApplicationMapping(ctx, m);
    assert.deepEqual(calls, ['bind commerce a']);
    assert.deepEqual(readyOf(status), { type: 'Ready', status: 'True', lastTransitionTime: NOW });
  });

  test('deleted while its broker was being created: not bound again', async () => {
    const store = createMemoryResourceStore();
    const { ctx, cache, calls } = setup({
      ...store,
      get: (key) => store.get(key),
      create: async (object) => {
        cache.remove(m); // the watch delivered the mapping's deletion meanwhile
        return store.create(object);
      },
    } as ResourceStore);
    const m = mapping('commerce', 'a');
    cache.put(application('commerce'));
    cache.put(m);
    await reconcileApplicationMapping(ctx, m);
    assert.deepEqual(calls, []);
  });
});

describe('credentials', () => {
  const hash = hashApplicationToken('token');
  const credential = { ...applicationCredential('commerce', hash, NOW), metadata: { name: 'commerce' } };

  test('the digest reaches the gateway while the Application exists', () => {
    const { ctx, cache, calls } = setup();
    cache.put(application('commerce'));
    reconcileApplicationCredential(ctx, credential);
    assert.deepEqual(calls, [`hash commerce ${hash}`]);
  });

  test('without the Application the token is revoked', () => {
    const { ctx, calls } = setup();
    reconcileApplicationCredential(ctx, credential);
    assert.deepEqual(calls, ['hash commerce revoked']);
  });

  test('deleting the Application unbinds every namespace, revokes the token and deletes the credential', async () => {
    const { ctx, cache, calls, resources } = setup();
    await resources.create({ ...credential, metadata: { name: 'commerce', uid: 'c1' } });
    cache.put(mapping('commerce', 'a'));
    cache.put(mapping('commerce', 'b'));
    cache.put(mapping('other', 'a'));
    await applicationDeleted(ctx, application('commerce'));
    assert.deepEqual(calls, ['hash commerce revoked', 'unbind commerce a', 'unbind commerce b']);
    assert.equal(await resources.get({ kind: 'ApplicationCredential', name: 'commerce' }), undefined);
  });
});
