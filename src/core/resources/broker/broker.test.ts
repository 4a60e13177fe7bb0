import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { FieldError } from '../../errors.js';
import {
  brokerSpec,
  defaultResource,
  specOf,
  validateResource,
  validateResourceUpdate,
  type Resource,
} from '../index.js';

const CLASS = 'metadata.annotations[eventing.knative.dev/broker.class]';
const SHARDS = 'eventing.cemesh.dev/shards';

// A Broker as the Knative docs show it (eventing/brokers/broker-types/channel-based-broker): class
// annotation, config reference and delivery options.
const KNATIVE_BROKER = `
apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  annotations:
    eventing.knative.dev/broker.class: MTChannelBasedBroker
  name: default
  namespace: default
spec:
  config:
    apiVersion: v1
    kind: ConfigMap
    name: config-br-default-channel
    namespace: knative-eventing
  delivery:
    deadLetterSink:
      ref:
        apiVersion: serving.knative.dev/v1
        kind: Service
        name: dlq-service
    retry: 5
    backoffPolicy: exponential
    backoffDelay: PT0.5S
`;

const broker = (spec?: unknown, annotations?: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'default', namespace: 'team-a', ...(annotations === undefined ? {} : { annotations }) },
  ...(spec === undefined ? {} : { spec }),
});

describe('Broker: valid manifests', () => {
  test('the Knative docs broker', () => assert.deepEqual(validateResource(parse(KNATIVE_BROKER)), []));

  test('a broker with no spec', () => assert.deepEqual(validateResource(broker()), []));

  test('a config without a namespace (it defaults to the broker namespace)', () => {
    assert.deepEqual(
      validateResource(broker({ config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'imc' } })),
      [],
    );
  });
});

describe('Broker: fields outside the v1 schema', () => {
  test('an unknown spec field is refused with its path (issue 13: never kept and ignored)', () =>
    assert.deepEqual(
      validateResource(broker({ future: true })).map((e) => e.field),
      ['spec.future'],
    ));
  test('the pre-v1 channelTemplateSpec is refused, pointing at spec.config', () =>
    assert.match(validateResource(broker({ channelTemplateSpec: {} }))[0]?.message ?? '', /v1alpha1 field/));
});

interface Case {
  readonly name: string;
  readonly object: Record<string, unknown>;
  readonly errors: readonly FieldError[];
}

const cases: readonly Case[] = [
  {
    name: 'a broker class cemesh does not serve is refused',
    object: broker(undefined, { 'eventing.knative.dev/broker.class': 'Kafka' }),
    errors: [
      {
        field: CLASS,
        message:
          '"Kafka" is not a broker class cemesh serves; use MTChannelBasedBroker and choose persistence with spec.config ' +
          'or the namespace annotation eventing.cemesh.dev/persistence',
      },
    ],
  },
  {
    name: 'spec.config must be a mapping',
    object: broker({ config: 'imc' }),
    errors: [{ field: 'spec.config', message: 'must be a mapping, not a string' }],
  },
  {
    name: 'spec.config: apiVersion, kind and name are required (KReference)',
    object: broker({ config: { namespace: 'knative-eventing' } }),
    errors: [
      { field: 'spec.config.kind', message: 'required' },
      { field: 'spec.config.apiVersion', message: 'required' },
      { field: 'spec.config.name', message: 'required' },
    ],
  },
  {
    name: 'spec.config: ConfigMap only',
    object: broker({
      config: { apiVersion: 'eventing.knative.dev/v1alpha1', kind: 'KafkaConfig', name: 'k' },
    }),
    errors: [
      {
        field: 'spec.config.kind',
        message: 'must be ConfigMap (cemesh reads broker configuration from ConfigMaps), not "KafkaConfig"',
      },
      {
        field: 'spec.config.apiVersion',
        message: 'ConfigMap is served as v1, not "eventing.knative.dev/v1alpha1"',
      },
    ],
  },
  {
    name: 'spec.config: name and namespace syntax',
    object: broker({ config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'Imc', namespace: 7 } }),
    errors: [
      {
        field: 'spec.config.name',
        message:
          '"Imc" must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
      { field: 'spec.config.namespace', message: 'must be a string' },
    ],
  },
  ...['0', '17', '4.5', ' 4', 'four', '-1', '016'].map((value) => ({
    name: `shards ${JSON.stringify(value)} is refused: a whole number from 1 to 16`,
    object: broker(undefined, { [SHARDS]: value }),
    errors: [
      {
        field: `metadata.annotations[${SHARDS}]`,
        message: `${JSON.stringify(value)} must be a whole number from 1 to 16`,
      },
    ],
  })),
  ...['1', '4', '16'].map((value) => ({
    name: `shards ${value} is accepted`,
    object: broker(undefined, { [SHARDS]: value }),
    errors: [],
  })),
];

describe('Broker: every error with its path', () => {
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(validateResource(c.object), c.errors));
  }

  test('spec.delivery is validated by the delivery module, at spec.delivery', () => {
    const errors = validateResource(broker({ delivery: { retry: 'ten', deadLetterSink: {} } }));
    assert.deepEqual(
      errors.map((e) => e.field),
      ['spec.delivery.retry', 'spec.delivery.deadLetterSink'],
    );
  });
});

describe('Broker defaults', () => {
  test('the class annotation is defaulted to MTChannelBasedBroker', () => {
    const defaulted = defaultResource(broker() as unknown as Resource);
    assert.equal(
      defaulted.metadata.annotations?.['eventing.knative.dev/broker.class'],
      'MTChannelBasedBroker',
    );
  });

  test('references without a namespace get the broker namespace', () => {
    const input = broker({
      config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'imc' },
      delivery: { deadLetterSink: { ref: { apiVersion: 'v1', kind: 'Service', name: 'dls' } } },
    }) as unknown as Resource;
    const defaulted = defaultResource(input);
    assert.deepEqual(defaulted.spec, {
      config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'imc', namespace: 'team-a' },
      delivery: {
        deadLetterSink: { ref: { apiVersion: 'v1', kind: 'Service', name: 'dls', namespace: 'team-a' } },
      },
    });
  });

  test('defaulting is pure and idempotent', () => {
    const input = parse(KNATIVE_BROKER) as Resource;
    const before = structuredClone(input);
    const once = defaultResource(input);
    assert.deepEqual(input, before);
    assert.deepEqual(defaultResource(once), once);
    assert.notEqual(once, input);
  });

  test('the typed spec', () => {
    assert.deepEqual(brokerSpec(parse(KNATIVE_BROKER) as Resource), {
      brokerClass: 'MTChannelBasedBroker',
      config: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'config-br-default-channel',
        namespace: 'knative-eventing',
      },
      delivery: {
        deadLetterSink: {
          ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'dlq-service' },
        },
        retry: 5,
        backoffPolicy: 'exponential',
        backoffDelay: 'PT0.5S',
      },
      shards: 1,
    });
  });

  test('specOf is the spec', () => {
    const object = parse(KNATIVE_BROKER) as Resource;
    assert.equal(specOf(object), object.spec);
  });
});

describe('Broker updates', () => {
  const stored = defaultResource(parse(KNATIVE_BROKER) as Resource);
  const withChanges = (change: (r: Resource) => void): Resource => {
    const next = structuredClone(stored);
    change(next);
    return next;
  };

  test('the class of a Broker object MUST be immutable', () => {
    const next = withChanges((r) => {
      r.metadata.annotations = { 'eventing.knative.dev/broker.class': 'Kafka' };
    });
    assert.deepEqual(validateResourceUpdate(stored, next), [
      { field: CLASS, message: 'is immutable; delete and re-create the broker' },
    ]);
  });

  test('Broker config MUST be immutable', () => {
    const renamed = withChanges((r) => {
      (r.spec!.config as Record<string, unknown>).name = 'other';
    });
    const removed = withChanges((r) => {
      delete r.spec!.config;
    });
    for (const next of [renamed, removed]) {
      assert.deepEqual(validateResourceUpdate(stored, next), [
        { field: 'spec.config', message: 'is immutable; delete and re-create the broker' },
      ]);
    }
  });

  test('re-applying the manifest without the defaulted fields is not a change', () => {
    const created = defaultResource(
      broker({ config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'imc' } }) as unknown as Resource,
    );
    const reapplied = broker({
      config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'imc' },
    }) as unknown as Resource;
    assert.deepEqual(validateResourceUpdate(created, reapplied), []);
  });

  test('the shards annotation is immutable, naming why and what to do instead', () => {
    const sharded = withChanges((r) => {
      r.metadata.annotations = { ...r.metadata.annotations, [SHARDS]: '4' };
    });
    const errors = validateResourceUpdate(stored, sharded);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.field, `metadata.annotations[${SHARDS}]`);
    assert.match(errors[0]?.message ?? '', /^is immutable \(1 -> 4\): .*create a new broker/);
    assert.deepEqual(validateResourceUpdate(sharded, sharded), []);
  });

  test('delivery may change', () => {
    const next = withChanges((r) => {
      r.spec!.delivery = { retry: 1 };
    });
    assert.deepEqual(validateResourceUpdate(stored, next), []);
  });

  test('name and namespace may not change', () => {
    const next = withChanges((r) => {
      r.metadata.name = 'other';
      r.metadata.namespace = 'elsewhere';
    });
    assert.deepEqual(validateResourceUpdate(stored, next), [
      { field: 'metadata.name', message: 'is immutable' },
      { field: 'metadata.namespace', message: 'is immutable' },
    ]);
  });
});
