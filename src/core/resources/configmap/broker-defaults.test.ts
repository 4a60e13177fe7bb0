import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { FieldError } from '../../errors.js';
import { parseBrokerDefaults, validateResource } from '../index.js';

// Knative's config-br-defaults as Knative ships it (config/core/configmaps/default-broker.yaml), with
// namespace entries added to show the other shapes Knative reads.
const KNATIVE_CONFIG_BR_DEFAULTS = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: config-br-defaults
  namespace: knative-eventing
  labels:
    eventing.knative.dev/release: devel
    app.kubernetes.io/version: devel
    app.kubernetes.io/name: knative-eventing
data:
  # Configures the default for any Broker that does not specify a spec.config or Broker class.
  default-br-config: |
    clusterDefault:
      brokerClass: MTChannelBasedBroker
      apiVersion: v1
      kind: ConfigMap
      name: config-br-default-channel
      namespace: knative-eventing
      delivery:
        retry: 10
        backoffPolicy: exponential
        backoffDelay: PT0.2S
    namespaceDefaults:
      team-a:
        apiVersion: v1
        kind: ConfigMap
        name: nats-channel
        namespace: knative-eventing
      team-b:
        brokerClass: MTChannelBasedBroker
        brokerClasses:
          MTChannelBasedBroker:
            apiVersion: v1
            kind: ConfigMap
            name: imc-channel
          Kafka:
            apiVersion: v1
            kind: ConfigMap
            name: kafka-broker-config
`;

const brDefaults = (yamlText: string, name = 'config-br-defaults'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'knative-eventing' },
  data: { 'default-br-config': yamlText },
});

describe('config-br-defaults: valid', () => {
  test('Knative config-br-defaults', () =>
    assert.deepEqual(validateResource(parse(KNATIVE_CONFIG_BR_DEFAULTS)), []));
  test('an empty default-br-config configures nothing', () =>
    assert.deepEqual(validateResource(brDefaults('')), []));
  test('default-br-config is only read from a ConfigMap named config-br-defaults', () => {
    assert.deepEqual(validateResource(brDefaults('not: [valid', 'notes')), []);
  });

  test('Knative config-br-defaults reads as its entries', () => {
    const data = (parse(KNATIVE_CONFIG_BR_DEFAULTS) as { data: Record<string, string> }).data;
    const { defaults } = parseBrokerDefaults(data['default-br-config'] ?? '', 'data.default-br-config');
    assert.deepEqual(defaults?.clusterDefault, {
      brokerClass: 'MTChannelBasedBroker',
      config: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'config-br-default-channel',
        namespace: 'knative-eventing',
      },
      delivery: { retry: 10, backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' },
    });
    assert.deepEqual(Object.keys(defaults?.namespaceDefaults ?? {}), ['team-a', 'team-b']);
  });
});

const cases: readonly { name: string; object: Record<string, unknown>; errors: readonly FieldError[] }[] = [
  {
    name: 'default-br-config: clusterDefault names a Secret',
    object: brDefaults('clusterDefault:\n  apiVersion: v1\n  kind: Secret\n  name: creds\n'),
    errors: [
      {
        field: 'data.default-br-config.clusterDefault.kind',
        message: 'must be ConfigMap (cemesh reads broker configuration from ConfigMaps), not "Secret"',
      },
    ],
  },
  {
    name: 'default-br-config: reference fields required once one is given',
    object: brDefaults('clusterDefault:\n  name: imc-channel\n'),
    errors: [
      { field: 'data.default-br-config.clusterDefault.kind', message: 'required' },
      { field: 'data.default-br-config.clusterDefault.apiVersion', message: 'required' },
    ],
  },
  {
    name: 'default-br-config: ConfigMap at a wrong apiVersion, bad name and namespace',
    object: brDefaults(
      'clusterDefault:\n  apiVersion: core/v2\n  kind: ConfigMap\n  name: Imc\n  namespace: a.b\n',
    ),
    errors: [
      {
        field: 'data.default-br-config.clusterDefault.apiVersion',
        message: 'ConfigMap is served as v1, not "core/v2"',
      },
      {
        field: 'data.default-br-config.clusterDefault.name',
        message:
          '"Imc" must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
      {
        field: 'data.default-br-config.clusterDefault.namespace',
        message:
          '"a.b" must be an RFC 1123 label: lower case letters, digits and "-", starting and ending with a letter or digit',
      },
    ],
  },
  {
    name: 'default-br-config: unknown keys at each level',
    object: brDefaults('clusterDefaults: {}\nnamespaceDefaults:\n  team-a:\n    nmae: x\n'),
    errors: [
      {
        field: 'data.default-br-config.clusterDefaults',
        message: 'unknown field; expected clusterDefault or namespaceDefaults',
      },
      {
        field: 'data.default-br-config.namespaceDefaults.team-a.nmae',
        message:
          'unknown field; expected one of brokerClass, apiVersion, kind, name, namespace, delivery, brokerClasses',
      },
    ],
  },
  {
    name: 'default-br-config: a broker class cemesh does not serve',
    object: brDefaults('clusterDefault:\n  brokerClass: Kafka\n'),
    errors: [
      {
        field: 'data.default-br-config.clusterDefault.brokerClass',
        message: '"Kafka" is not a broker class cemesh serves; use MTChannelBasedBroker',
      },
    ],
  },
  {
    name: 'default-br-config: namespaceDefaults keys are namespace names, entries mappings',
    object: brDefaults('namespaceDefaults:\n  Team_A:\n    brokerClass: MTChannelBasedBroker\n  team-b: 3\n'),
    errors: [
      {
        field: 'data.default-br-config.namespaceDefaults.Team_A',
        message:
          'namespace "Team_A" must be an RFC 1123 label: lower case letters, digits and "-", starting and ending with a letter or digit',
      },
      {
        field: 'data.default-br-config.namespaceDefaults.team-b',
        message: 'must be a mapping, not a number',
      },
    ],
  },
  {
    name: 'default-br-config: brokerClasses entries hold no class of their own',
    object: brDefaults(
      'clusterDefault:\n  brokerClasses:\n    MTChannelBasedBroker:\n      brokerClass: X\n',
    ),
    errors: [
      {
        field: 'data.default-br-config.clusterDefault.brokerClasses.MTChannelBasedBroker.brokerClass',
        message: 'unknown field; expected one of apiVersion, kind, name, namespace, delivery',
      },
    ],
  },
  {
    name: 'default-br-config: not a mapping',
    object: brDefaults('just text'),
    errors: [{ field: 'data.default-br-config', message: 'must be a YAML mapping, not a string' }],
  },
];

describe('config-br-defaults: every error with its path', () => {
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(validateResource(c.object), c.errors));
  }

  test('default-br-config: delivery is validated by the delivery module, at its path', () => {
    const errors = validateResource(
      brDefaults('clusterDefault:\n  delivery:\n    retry: -1\n    backoffPolicy: sideways\n'),
    );
    assert.deepEqual(
      errors.map((e) => e.field),
      [
        'data.default-br-config.clusterDefault.delivery.retry',
        'data.default-br-config.clusterDefault.delivery.backoffPolicy',
      ],
    );
  });
});
