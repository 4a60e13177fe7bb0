import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findKindOf, fromStorage, toStorage, validateResource } from './index.js';
import type { Resource } from './object.js';

const meta = { name: 'orders', namespace: 'default' };
const served = (apiVersion: string, kind: string) => {
  const found = findKindOf(apiVersion, kind);
  assert.ok(found, `${kind} ${apiVersion} is served`);
  return found;
};

const cases: { name: string; written: Resource; stored: Resource }[] = [
  {
    name: 'v1alpha1 Trigger: sourceAndType becomes attributes, "Any" (empty) is left out',
    written: {
      apiVersion: 'eventing.knative.dev/v1alpha1',
      kind: 'Trigger',
      metadata: meta,
      spec: {
        broker: 'default',
        filter: { sourceAndType: { type: 'dev.knative.foo', source: '' } },
        subscriber: { uri: 'http://display.example/' },
      },
    },
    stored: {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: meta,
      spec: {
        broker: 'default',
        filter: { attributes: { type: 'dev.knative.foo' } },
        subscriber: { uri: 'http://display.example/' },
      },
    },
  },
  {
    name: 'v1alpha1 Trigger: a deprecated inline subscriber reference becomes ref',
    written: {
      apiVersion: 'eventing.knative.dev/v1alpha1',
      kind: 'Trigger',
      metadata: meta,
      spec: {
        filter: { attributes: { type: 'x' } },
        subscriber: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'display', uri: '/path' },
      },
    },
    stored: {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: meta,
      spec: {
        filter: { attributes: { type: 'x' } },
        subscriber: {
          uri: '/path',
          ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'display' },
        },
      },
    },
  },
  {
    name: 'v1beta1 Trigger: the same fields under v1',
    written: {
      apiVersion: 'eventing.knative.dev/v1beta1',
      kind: 'Trigger',
      metadata: meta,
      spec: { broker: 'b', filter: { attributes: { source: '/s' } }, subscriber: { uri: 'http://x/' } },
    },
    stored: {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: meta,
      spec: { broker: 'b', filter: { attributes: { source: '/s' } }, subscriber: { uri: 'http://x/' } },
    },
  },
  {
    name: 'v1alpha1 and v1beta1 Broker: config and delivery kept',
    written: {
      apiVersion: 'eventing.knative.dev/v1alpha1',
      kind: 'Broker',
      metadata: meta,
      spec: { delivery: { retry: 3 } },
    },
    stored: {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      metadata: meta,
      spec: { delivery: { retry: 3 } },
    },
  },
];

for (const { name, written, stored } of cases) {
  test(name, () => {
    const version = served(written.apiVersion, written.kind);
    assert.deepEqual(toStorage(version, written), stored);
    assert.deepEqual(validateResource(written), []);
    assert.equal(fromStorage(version, stored).apiVersion, written.apiVersion);
  });
}

test('a v1alpha1 Broker with channelTemplateSpec is refused naming the field and what replaced it', () => {
  const errors = validateResource({
    apiVersion: 'eventing.knative.dev/v1alpha1',
    kind: 'Broker',
    metadata: meta,
    spec: { channelTemplateSpec: { apiVersion: 'messaging.knative.dev/v1', kind: 'InMemoryChannel' } },
  });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.field, 'spec.channelTemplateSpec');
  assert.match(errors[0]?.message ?? '', /spec\.config/);
});
