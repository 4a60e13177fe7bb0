import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolvePersistence, type PersistenceKind, type PersistenceResult, type Resource } from './index.js';

const cm = (namespace: string, name: string, data: Record<string, string>): Resource => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

const template = (apiVersion: string, kind: string): Record<string, string> => ({
  'channel-template-spec': `apiVersion: ${apiVersion}\nkind: ${kind}\n`,
});

const IMC = cm('knative-eventing', 'imc-channel', template('messaging.knative.dev/v1', 'InMemoryChannel'));
const NATS = cm(
  'knative-eventing',
  'nats-channel',
  template('messaging.knative.dev/v1alpha1', 'NatsJetStreamChannel'),
);
const EMBEDDED = cm('team-a', 'embedded-channel', template('messaging.cemesh.dev/v1', 'EmbeddedChannel'));
const KAFKA = cm(
  'knative-eventing',
  'kafka-channel',
  template('messaging.knative.dev/v1beta1', 'KafkaChannel'),
);
const PLAIN = cm('knative-eventing', 'kafka-broker-config', { 'bootstrap.servers': 'kafka:9092' });

const defaults = (yamlText: string): Resource =>
  cm('knative-eventing', 'config-br-defaults', { 'default-br-config': yamlText });

const CLUSTER_IMC = defaults(
  'clusterDefault:\n  apiVersion: v1\n  kind: ConfigMap\n  name: imc-channel\n  namespace: knative-eventing\n',
);
const CLUSTER_AND_TEAM_A = defaults(
  'clusterDefault:\n  apiVersion: v1\n  kind: ConfigMap\n  name: imc-channel\n  namespace: knative-eventing\n' +
    'namespaceDefaults:\n  team-a:\n    apiVersion: v1\n    kind: ConfigMap\n    name: nats-channel\n    namespace: knative-eventing\n',
);

const broker = (config?: Record<string, string>): Resource => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'default', namespace: 'team-a' },
  ...(config === undefined ? {} : { spec: { config } }),
});

const namespace = (persistence?: PersistenceKind): Resource => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'team-a',
    ...(persistence === undefined ? {} : { annotations: { 'eventing.cemesh.dev/persistence': persistence } }),
  },
});

const ref = (name: string, ns?: string): Record<string, string> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  ...(ns === undefined ? {} : { namespace: ns }),
});

interface Case {
  readonly name: string;
  readonly broker: Resource;
  readonly namespace?: Resource;
  readonly configMaps: readonly Resource[];
  readonly expected: PersistenceResult;
}

const cases: readonly Case[] = [
  {
    name: 'nothing configured: the server default',
    broker: broker(),
    configMaps: [],
    expected: { kind: 'embedded', source: 'server default' },
  },
  {
    name: 'spec.config naming InMemoryChannel: memory',
    broker: broker(ref('imc-channel', 'knative-eventing')),
    namespace: namespace('jetstream'),
    configMaps: [IMC, CLUSTER_AND_TEAM_A],
    expected: { kind: 'memory', source: 'ConfigMap knative-eventing/imc-channel' },
  },
  {
    name: 'spec.config without a namespace looks in the broker namespace',
    broker: broker(ref('embedded-channel')),
    configMaps: [EMBEDDED],
    expected: { kind: 'embedded', source: 'ConfigMap team-a/embedded-channel' },
  },
  {
    name: 'the namespace annotation comes before config-br-defaults',
    broker: broker(),
    namespace: namespace('memory'),
    configMaps: [NATS, IMC, CLUSTER_AND_TEAM_A],
    expected: { kind: 'memory', source: 'Namespace team-a annotation eventing.cemesh.dev/persistence' },
  },
  {
    name: 'config-br-defaults: the namespace entry comes before clusterDefault',
    broker: broker(),
    namespace: namespace(),
    configMaps: [NATS, IMC, CLUSTER_AND_TEAM_A],
    expected: { kind: 'jetstream', source: 'ConfigMap knative-eventing/nats-channel' },
  },
  {
    name: 'config-br-defaults: clusterDefault when the namespace has no entry',
    broker: broker(),
    configMaps: [IMC, CLUSTER_IMC],
    expected: { kind: 'memory', source: 'ConfigMap knative-eventing/imc-channel' },
  },
  {
    name: 'config-br-defaults: an entry with only a class falls through to clusterDefault',
    broker: broker(),
    configMaps: [
      IMC,
      defaults(
        'clusterDefault:\n  apiVersion: v1\n  kind: ConfigMap\n  name: imc-channel\n  namespace: knative-eventing\n' +
          'namespaceDefaults:\n  team-a:\n    brokerClass: MTChannelBasedBroker\n',
      ),
    ],
    expected: { kind: 'memory', source: 'ConfigMap knative-eventing/imc-channel' },
  },
  {
    name: 'config-br-defaults: brokerClasses.MTChannelBasedBroker is used before the entry reference',
    broker: broker(),
    configMaps: [
      IMC,
      NATS,
      defaults(
        'clusterDefault:\n  apiVersion: v1\n  kind: ConfigMap\n  name: imc-channel\n  namespace: knative-eventing\n' +
          '  brokerClasses:\n    MTChannelBasedBroker:\n      apiVersion: v1\n      kind: ConfigMap\n' +
          '      name: nats-channel\n      namespace: knative-eventing\n',
      ),
    ],
    expected: { kind: 'jetstream', source: 'ConfigMap knative-eventing/nats-channel' },
  },
  {
    name: 'config-br-defaults: a reference without a namespace looks in the broker namespace',
    broker: broker(),
    configMaps: [
      EMBEDDED,
      defaults('clusterDefault:\n  apiVersion: v1\n  kind: ConfigMap\n  name: embedded-channel\n'),
    ],
    expected: { kind: 'embedded', source: 'ConfigMap team-a/embedded-channel' },
  },
  {
    name: 'config-br-defaults without default-br-config: the server default',
    broker: broker(),
    configMaps: [cm('knative-eventing', 'config-br-defaults', {})],
    expected: { kind: 'embedded', source: 'server default' },
  },
  {
    name: 'config-br-defaults in another namespace is not read',
    broker: broker(),
    configMaps: [IMC, { ...CLUSTER_IMC, metadata: { name: 'config-br-defaults', namespace: 'team-a' } }],
    expected: { kind: 'embedded', source: 'server default' },
  },
  {
    name: 'spec.config naming a missing ConfigMap is an error naming it',
    broker: broker(ref('gone', 'knative-eventing')),
    namespace: namespace('memory'),
    configMaps: [],
    expected: { error: 'ConfigMap knative-eventing/gone (named by spec.config) does not exist' },
  },
  {
    name: 'config-br-defaults naming a missing ConfigMap is an error naming both',
    broker: broker(),
    configMaps: [CLUSTER_IMC],
    expected: {
      error:
        'ConfigMap knative-eventing/imc-channel (named by ConfigMap knative-eventing/config-br-defaults clusterDefault) does not exist',
    },
  },
  {
    name: 'a config ConfigMap without channel-template-spec is an error',
    broker: broker(ref('kafka-broker-config', 'knative-eventing')),
    configMaps: [PLAIN],
    expected: {
      error:
        'ConfigMap knative-eventing/kafka-broker-config (named by spec.config) has no channel-template-spec; ' +
        'a MTChannelBasedBroker config names its channel kind there',
    },
  },
  {
    name: 'a channel kind cemesh cannot honour is an error',
    broker: broker(ref('kafka-channel', 'knative-eventing')),
    configMaps: [KAFKA],
    expected: {
      error:
        'ConfigMap knative-eventing/kafka-channel is invalid: data.channel-template-spec.kind: ' +
        '"messaging.knative.dev/v1beta1 KafkaChannel" is not supported by cemesh; use one of messaging.knative.dev/v1 ' +
        'InMemoryChannel (memory), messaging.cemesh.dev/v1 EmbeddedChannel (embedded), messaging.knative.dev/v1alpha1 ' +
        'NatsJetStreamChannel (jetstream)',
    },
  },
  {
    name: 'an invalid config-br-defaults is an error',
    broker: broker(),
    configMaps: [defaults('clusterDefault: 3\n')],
    expected: {
      error:
        'ConfigMap knative-eventing/config-br-defaults is invalid: data.default-br-config.clusterDefault: must be a mapping, not a number',
    },
  },
];

describe('resolvePersistence', () => {
  for (const c of cases) {
    test(c.name, () => {
      const result = resolvePersistence({
        broker: c.broker,
        namespace: c.namespace,
        configMap: (ns, name) =>
          c.configMaps.find((m) => m.metadata.namespace === ns && m.metadata.name === name),
        serverDefault: 'embedded',
      });
      assert.deepEqual(result, c.expected);
    });
  }

  test('the server default is whatever the server says', () => {
    const result = resolvePersistence({
      broker: broker(),
      namespace: undefined,
      configMap: () => undefined,
      serverDefault: 'jetstream',
    });
    assert.deepEqual(result, { kind: 'jetstream', source: 'server default' });
  });
});
