import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { FieldError } from '../../errors.js';
import { parseChannelTemplate, validateResource, validateResourceUpdate, type Resource } from '../index.js';

// Knative's default channel ConfigMap of the MT channel-based broker, as Knative ships it.
const KNATIVE_DEFAULT_CHANNEL = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: config-br-default-channel
  namespace: knative-eventing
data:
  channel-template-spec: |
    apiVersion: messaging.knative.dev/v1
    kind: InMemoryChannel
`;

const NATS_CHANNEL = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: nats-channel
  namespace: knative-eventing
data:
  channel-template-spec: |
    apiVersion: messaging.knative.dev/v1alpha1
    kind: NatsJetStreamChannel
    spec:
      stream:
        config:
          additionalSubjects: []
`;

const configMap = (
  name: string,
  data: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'knative-eventing' },
  data,
  ...extra,
});

const channel = (yamlText: string): Record<string, unknown> =>
  configMap('my-channel', { 'channel-template-spec': yamlText });

describe('ConfigMap: valid manifests', () => {
  const manifests: Record<string, string> = {
    'Knative config-br-default-channel (InMemoryChannel)': KNATIVE_DEFAULT_CHANNEL,
    'a NatsJetStreamChannel template': NATS_CHANNEL,
  };
  for (const [name, text] of Object.entries(manifests)) {
    test(name, () => assert.deepEqual(validateResource(parse(text)), []));
  }
  test('an EmbeddedChannel template', () => {
    assert.deepEqual(
      validateResource(channel('apiVersion: messaging.cemesh.dev/v1\nkind: EmbeddedChannel\n')),
      [],
    );
  });
  test('a plain ConfigMap, binaryData and immutable', () => {
    const object = configMap(
      'app-settings',
      { 'log.level': 'debug', 'a_b-c': '' },
      { binaryData: { blob: 'AAEC' }, immutable: true },
    );
    assert.deepEqual(validateResource(object), []);
  });
  test('a ConfigMap without data', () =>
    assert.deepEqual(validateResource(configMap('empty', undefined)), []));
});

interface Case {
  readonly name: string;
  readonly object: Record<string, unknown>;
  readonly errors: readonly FieldError[];
}

const NOT_SUPPORTED =
  'is not supported by cemesh; use one of messaging.knative.dev/v1 InMemoryChannel (memory), messaging.cemesh.dev/v1 ' +
  'EmbeddedChannel (embedded), messaging.knative.dev/v1alpha1 NatsJetStreamChannel (jetstream)';

const cases: readonly Case[] = [
  {
    name: 'data not a mapping',
    object: configMap('x', ['a']),
    errors: [{ field: 'data', message: 'must be a mapping of keys to strings, not a list' }],
  },
  {
    name: 'data values must be strings, keys ConfigMap keys',
    object: configMap('x', { retry: 10, 'bad key': 'v', '..hidden': 'v' }),
    errors: [
      { field: 'data.retry', message: 'must be a string, not a number' },
      { field: 'data.bad key', message: 'key "bad key" must consist of letters, digits, "-", "_" and "."' },
      { field: 'data...hidden', message: 'key "..hidden" must not be "." or start with ".."' },
    ],
  },
  {
    name: 'a key in both data and binaryData',
    object: configMap('x', { a: '1' }, { binaryData: { a: 'AQ==' } }),
    errors: [{ field: 'binaryData.a', message: 'duplicates a key of data' }],
  },
  {
    name: 'immutable not a boolean',
    object: configMap('x', {}, { immutable: 'yes' }),
    errors: [{ field: 'immutable', message: 'must be a boolean, not a string' }],
  },
  {
    name: 'channel-template-spec: KafkaChannel is not supported',
    object: channel(
      'apiVersion: messaging.knative.dev/v1beta1\nkind: KafkaChannel\nspec:\n  numPartitions: 3\n',
    ),
    errors: [
      {
        field: 'data.channel-template-spec.kind',
        message: `"messaging.knative.dev/v1beta1 KafkaChannel" ${NOT_SUPPORTED}`,
      },
    ],
  },
  {
    name: 'channel-template-spec: InMemoryChannel at an old version',
    object: channel('apiVersion: messaging.knative.dev/v1beta1\nkind: InMemoryChannel\n'),
    errors: [
      {
        field: 'data.channel-template-spec.apiVersion',
        message: 'InMemoryChannel is served as messaging.knative.dev/v1, not messaging.knative.dev/v1beta1',
      },
    ],
  },
  {
    name: 'channel-template-spec: NatsJetStreamChannel in another group',
    object: channel('apiVersion: messaging.example.com/v1\nkind: NatsJetStreamChannel\n'),
    errors: [
      {
        field: 'data.channel-template-spec.apiVersion',
        message:
          'NatsJetStreamChannel is served as messaging.knative.dev/<version>, not messaging.example.com/v1',
      },
    ],
  },
  {
    name: 'channel-template-spec: apiVersion and kind missing, spec not a mapping',
    object: channel('spec: 3\n'),
    errors: [
      { field: 'data.channel-template-spec.apiVersion', message: 'required' },
      { field: 'data.channel-template-spec.kind', message: 'required' },
      { field: 'data.channel-template-spec.spec', message: 'must be a mapping, not a number' },
    ],
  },
  {
    name: 'channel-template-spec: not a mapping',
    object: channel('- InMemoryChannel\n'),
    errors: [
      {
        field: 'data.channel-template-spec',
        message: 'must be a YAML mapping with apiVersion and kind, not a list',
      },
    ],
  },
];

describe('ConfigMap: every error with its path', () => {
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(validateResource(c.object), c.errors));
  }

  test('invalid YAML is reported at the data key with its position', () => {
    const [error, ...rest] = validateResource(channel('apiVersion: [\n'));
    assert.deepEqual(rest, []);
    assert.equal(error?.field, 'data.channel-template-spec');
    assert.match(error?.message ?? '', /^is not valid YAML \(line \d+, column \d+\): /);
  });

  test('duplicate keys in the YAML are an error, not a silent overwrite', () => {
    const [error] = validateResource(channel('kind: InMemoryChannel\nkind: KafkaChannel\n'));
    assert.equal(error?.field, 'data.channel-template-spec');
    assert.match(error?.message ?? '', /is not valid YAML/);
  });
});

describe('channel templates, parsed', () => {
  test('each supported channel kind maps to its persistence', () => {
    const table: [string, string][] = [
      ['apiVersion: messaging.knative.dev/v1\nkind: InMemoryChannel', 'memory'],
      ['apiVersion: messaging.cemesh.dev/v1\nkind: EmbeddedChannel', 'embedded'],
      ['apiVersion: messaging.knative.dev/v1alpha1\nkind: NatsJetStreamChannel', 'jetstream'],
      ['apiVersion: messaging.knative.dev/v1\nkind: NatsJetStreamChannel', 'jetstream'],
    ];
    for (const [text, persistence] of table)
      assert.equal(parseChannelTemplate(text, 'x').persistence, persistence);
  });
});

describe('ConfigMap updates', () => {
  const stored = (immutable: boolean): Resource => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', namespace: 'ns' },
    data: { a: '1', b: '2' },
    immutable,
  });

  test('a mutable ConfigMap may change its data', () => {
    assert.deepEqual(validateResourceUpdate(stored(false), { ...stored(false), data: { a: '2' } }), []);
  });

  test('an immutable ConfigMap keeps its data and its mark (key order does not matter)', () => {
    assert.deepEqual(validateResourceUpdate(stored(true), { ...stored(true), data: { b: '2', a: '1' } }), []);
    assert.deepEqual(validateResourceUpdate(stored(true), { ...stored(false), data: { a: '9' } }), [
      { field: 'immutable', message: 'cannot be unset once true' },
      { field: 'data', message: 'is immutable because immutable is true' },
    ]);
  });
});
