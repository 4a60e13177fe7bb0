import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultResource, kindInfoOf, specOf, validateResourceUpdate, type Resource } from './index.js';

const configMap: Resource = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'ns' },
  data: { a: '1' },
};

describe('generic resource functions', () => {
  test('specOf a ConfigMap is its data', () => assert.deepEqual(specOf(configMap), { a: '1' }));

  test('kindInfoOf matches the kind spelling case-insensitively, the apiVersion exactly', () => {
    assert.equal(kindInfoOf({ apiVersion: 'eventing.knative.dev/v1', kind: 'trigger' })?.kind, 'Trigger');
    assert.equal(kindInfoOf({ apiVersion: 'eventing.knative.dev/v2', kind: 'Trigger' }), undefined);
    assert.equal(kindInfoOf({ apiVersion: 'v1', kind: 'cm' }), undefined);
  });

  test('defaultResource stores the canonical kind spelling', () => {
    const object: Resource = {
      apiVersion: 'v1',
      kind: 'configmap',
      metadata: { name: 'c', namespace: 'ns' },
    };
    assert.equal(defaultResource(object).kind, 'ConfigMap');
    assert.equal(object.kind, 'configmap');
  });

  test('defaultResource copies an object of an unknown kind unchanged', () => {
    const object: Resource = { apiVersion: 'x/v1', kind: 'Thing', metadata: { name: 't' } };
    assert.deepEqual(defaultResource(object), object);
  });

  test('the kind of an object cannot change on update', () => {
    const next: Resource = {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      metadata: { name: 'c', namespace: 'ns' },
    };
    assert.deepEqual(validateResourceUpdate(configMap, next), [
      { field: 'kind', message: 'is immutable (was ConfigMap)' },
    ]);
  });

  test('a cluster-scoped object may carry any namespace on update (it is ignored)', () => {
    const before: Resource = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } };
    const after: Resource = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', namespace: 'x' } };
    assert.deepEqual(validateResourceUpdate(before, after), []);
  });
});
