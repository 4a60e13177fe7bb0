import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokerDelivery, type Resource } from './index.js';

const defaults = (yamlText: string): Resource => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'config-br-defaults', namespace: 'knative-eventing' },
  data: { 'default-br-config': yamlText },
});

const broker = (namespace: string, delivery?: object): Resource => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'default', namespace },
  spec: delivery === undefined ? {} : { delivery },
});

const FULL = defaults(`
clusterDefault:
  brokerClass: MTChannelBasedBroker
  delivery:
    retry: 1
namespaceDefaults:
  team-a:
    delivery:
      retry: 2
      deadLetterSink:
        ref: { apiVersion: serving.knative.dev/v1, kind: Service, name: dls }
  team-b:
    delivery:
      retry: 3
    brokerClasses:
      MTChannelBasedBroker:
        delivery:
          retry: 4
  team-c:
    brokerClass: MTChannelBasedBroker
`);

const cases: { name: string; broker: Resource; configMap?: Resource; expected: unknown }[] = [
  {
    name: "the broker's own delivery wins",
    broker: broker('team-a', { retry: 9 }),
    configMap: FULL,
    expected: { retry: 9 },
  },
  { name: 'no config-br-defaults: none', broker: broker('team-a'), expected: undefined },
  {
    name: "the namespace's entry, its sink ref defaulted to the broker's namespace",
    broker: broker('team-a'),
    configMap: FULL,
    expected: {
      retry: 2,
      deadLetterSink: {
        ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'dls', namespace: 'team-a' },
      },
    },
  },
  {
    name: "the entry's MTChannelBasedBroker class entry before its own",
    broker: broker('team-b'),
    configMap: FULL,
    expected: { retry: 4 },
  },
  {
    name: 'an entry without delivery falls back to clusterDefault',
    broker: broker('team-c'),
    configMap: FULL,
    expected: { retry: 1 },
  },
  {
    name: 'a namespace without an entry takes clusterDefault',
    broker: broker('elsewhere'),
    configMap: FULL,
    expected: { retry: 1 },
  },
  {
    name: 'an invalid ConfigMap contributes nothing',
    broker: broker('team-a'),
    configMap: defaults('clusterDefault: [1, 2]\n'),
    expected: undefined,
  },
];

for (const c of cases) {
  test(`brokerDelivery: ${c.name}`, () => {
    const lookup = (namespace: string, name: string): Resource | undefined =>
      c.configMap !== undefined && namespace === 'knative-eventing' && name === 'config-br-defaults'
        ? c.configMap
        : undefined;
    assert.deepEqual(brokerDelivery(c.broker, lookup), c.expected);
  });
}
