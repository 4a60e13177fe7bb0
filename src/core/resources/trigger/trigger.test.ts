import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { FieldError } from '../../errors.js';
import {
  defaultResource,
  triggerSpec,
  validateResource,
  validateResourceUpdate,
  type Resource,
} from '../index.js';

const MAX_INFLIGHT = 'metadata.annotations[eventing.cemesh.dev/max-inflight]';

// Triggers as the Knative docs show them (eventing/triggers), with the namespace the API fills in.
const KNATIVE_TRIGGER_ATTRIBUTES = `
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: my-service-trigger
  namespace: default
spec:
  broker: default
  filter:
    attributes:
      type: dev.knative.foo.bar
      myextension: my-extension-value
  subscriber:
    ref:
      apiVersion: serving.knative.dev/v1
      kind: Service
      name: my-service
`;

const KNATIVE_TRIGGER_FILTERS = `
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: my-service-trigger
  namespace: default
  annotations:
    eventing.cemesh.dev/max-inflight: "20"
spec:
  broker: default
  filters:
    - any:
        - exact:
            type: com.github.push
        - prefix:
            type: com.github.pull
    - not:
        suffix:
          source: .test
  subscriber:
    ref:
      apiVersion: serving.knative.dev/v1
      kind: Service
      name: my-service
    uri: /my-custom-path
  delivery:
    deadLetterSink:
      uri: http://dead-letters.default.svc.cluster.local/
    retry: 3
    backoffPolicy: linear
    backoffDelay: PT1S
`;

const trigger = (spec?: unknown, annotations?: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Trigger',
  metadata: { name: 't', namespace: 'team-a', ...(annotations === undefined ? {} : { annotations }) },
  ...(spec === undefined ? {} : { spec }),
});

const SUBSCRIBER = { uri: 'http://subscriber.example.com/events' };
const KAFKA_ORDER = 'kafka.eventing.knative.dev/delivery.order';
const CEMESH_ORDER = 'eventing.cemesh.dev/delivery-order';

describe('Trigger: valid manifests', () => {
  const manifests: Record<string, unknown> = {
    'Knative docs: attributes filter, ref subscriber': parse(KNATIVE_TRIGGER_ATTRIBUTES),
    'Knative docs: filters, ref + uri subscriber, delivery': parse(KNATIVE_TRIGGER_FILTERS),
    'broker left out (defaulted to default)': trigger({ subscriber: SUBSCRIBER }),
  };
  for (const [name, object] of Object.entries(manifests)) {
    test(name, () => assert.deepEqual(validateResource(object), []));
  }
});

interface Case {
  readonly name: string;
  readonly object: Record<string, unknown>;
  readonly errors: readonly FieldError[];
}

const cases: readonly Case[] = [
  {
    name: 'no spec: the subscriber is required',
    object: trigger(),
    errors: [{ field: 'spec.subscriber', message: 'required' }],
  },
  {
    name: 'spec without a subscriber',
    object: trigger({ broker: 'default' }),
    errors: [{ field: 'spec.subscriber', message: 'required' }],
  },
  {
    name: 'spec.broker not a string',
    object: trigger({ broker: { name: 'default' }, subscriber: SUBSCRIBER }),
    errors: [{ field: 'spec.broker', message: 'must be a string (the name of a broker in the namespace)' }],
  },
  {
    name: 'spec.broker not a valid name',
    object: trigger({ broker: 'My Broker', subscriber: SUBSCRIBER }),
    errors: [
      {
        field: 'spec.broker',
        message:
          '"My Broker" must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
    ],
  },
  ...['0', '10001', '-5', '1.5', 'many', ''].map((value): Case => ({
    name: `max-inflight ${JSON.stringify(value)} is out of range`,
    object: trigger({ subscriber: SUBSCRIBER }, { 'eventing.cemesh.dev/max-inflight': value }),
    errors: [
      { field: MAX_INFLIGHT, message: `${JSON.stringify(value)} must be a whole number from 1 to 10000` },
    ],
  })),
  ...[KAFKA_ORDER, CEMESH_ORDER].flatMap((annotation) =>
    ['Ordered', 'fifo', ''].map((value): Case => ({
      name: `${annotation} ${JSON.stringify(value)} is not a delivery order`,
      object: trigger({ subscriber: SUBSCRIBER }, { [annotation]: value }),
      errors: [
        {
          field: `metadata.annotations[${annotation}]`,
          message: `${JSON.stringify(value)} must be "ordered" or "unordered"`,
        },
      ],
    })),
  ),
  {
    name: 'the two delivery-order spellings disagree',
    object: trigger({ subscriber: SUBSCRIBER }, { [KAFKA_ORDER]: 'ordered', [CEMESH_ORDER]: 'unordered' }),
    errors: [
      {
        field: `metadata.annotations[${CEMESH_ORDER}]`,
        message: `"unordered" contradicts ${KAFKA_ORDER}: "ordered"`,
      },
    ],
  },
  ...['yes', 'True', ''].map((value): Case => ({
    name: `paused ${JSON.stringify(value)} is neither "true" nor "false"`,
    object: trigger({ subscriber: SUBSCRIBER }, { 'eventing.cemesh.dev/paused': value }),
    errors: [
      {
        field: 'metadata.annotations[eventing.cemesh.dev/paused]',
        message: `${JSON.stringify(value)} must be "true" or "false"`,
      },
    ],
  })),
];

describe('Trigger: every error with its path', () => {
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(validateResource(c.object), c.errors));
  }

  test('max-inflight bounds 1 and 10000 are valid', () => {
    for (const value of ['1', '10000']) {
      assert.deepEqual(
        validateResource(trigger({ subscriber: SUBSCRIBER }, { 'eventing.cemesh.dev/max-inflight': value })),
        [],
      );
    }
  });

  test('delivery order: either spelling, or both when they agree, and the typed spec reads it', () => {
    const given: Record<string, string>[] = [
      { [KAFKA_ORDER]: 'ordered' },
      { [CEMESH_ORDER]: 'ordered' },
      { [KAFKA_ORDER]: 'ordered', [CEMESH_ORDER]: 'ordered' },
    ];
    for (const annotations of given) {
      const object = trigger({ subscriber: SUBSCRIBER }, annotations);
      assert.deepEqual(validateResource(object), []);
      assert.equal(triggerSpec(object as unknown as Resource).deliveryOrder, 'ordered');
    }
    const unordered = trigger({ subscriber: SUBSCRIBER }, { [KAFKA_ORDER]: 'unordered' });
    assert.deepEqual(validateResource(unordered), []);
    assert.equal(triggerSpec(unordered as unknown as Resource).deliveryOrder, 'unordered');
    const none = trigger({ subscriber: SUBSCRIBER }) as unknown as Resource;
    assert.equal(triggerSpec(none).deliveryOrder, 'unordered');
  });

  test('the subscriber, filters and delivery are validated by their modules, each at its path, all at once', () => {
    const errors = validateResource(
      trigger(
        {
          subscriber: { uri: 'ftp://example.com' },
          filter: { attributes: { 'Bad-Name': 'x' } },
          filters: [{ exact: {} }, { prefix: { type: 'a' }, suffix: { type: 'b' } }],
          delivery: { backoffPolicy: 'sideways' },
        },
        { 'eventing.cemesh.dev/max-inflight': '0' },
      ),
    );
    assert.deepEqual(
      errors.map((e) => e.field),
      [
        MAX_INFLIGHT,
        'spec.subscriber.uri',
        'spec.filter.attributes.Bad-Name',
        'spec.filters[0].exact',
        'spec.filters[1]',
        'spec.delivery.backoffPolicy',
      ],
    );
  });
});

// Knative's Trigger v1 schema (config/core/resources/trigger.yaml): every field it declares is served or
// refused as not supported, and any other field is unknown, at any depth, with its path.
const schemaCases: [name: string, spec: Record<string, unknown>, field: string, message: RegExp][] = [
  [
    'a misspelled spec field',
    { subscribr: {} },
    'spec.subscribr',
    /^unknown field \(did you mean "subscriber"\?\)$/,
  ],
  [
    'a misspelled legacy filter',
    { filter: { atributes: {} } },
    'spec.filter.atributes',
    /did you mean "attributes"/,
  ],
  [
    'the removed sourceAndType',
    { filter: { sourceAndType: {} } },
    'spec.filter.sourceAndType',
    /holds attributes$/,
  ],
  ['an unknown filter dialect', { filters: [{ regex: {} }] }, 'spec.filters[0].regex', /holds exact, prefix/],
  [
    'a misspelled nested dialect',
    { filters: [{ all: [{ not: { exakt: { type: 't' } } }] }] },
    'spec.filters[0].all[0].not.exakt',
    /did you mean "exact"/,
  ],
  ['a misspelled delivery field', { delivery: { retyr: 3 } }, 'spec.delivery.retyr', /did you mean "retry"/],
  ['a destination url', { subscriber: { url: 'http://x/' } }, 'spec.subscriber.url', /did you mean "uri"/],
  [
    'a field of a ref',
    { subscriber: { ref: { kind: 'Service', name: 's', uid: 'u' } } },
    'spec.subscriber.ref.uid',
    /^unknown field/,
  ],
  [
    'a dead-letter sink field',
    { delivery: { deadLetterSink: { uri: 'http://x/', urls: [] } } },
    'spec.delivery.deadLetterSink.urls',
    /^unknown field/,
  ],
  [
    'spec.brokerRef',
    { brokerRef: { name: 'b', namespace: 'other' } },
    'spec.brokerRef',
    /^is not supported: .*trigger-broker-ref\.md$/,
  ],
  [
    'a subscriber audience',
    { subscriber: { uri: 'http://x/', audience: 'a' } },
    'spec.subscriber.audience',
    /^is not supported yet/,
  ],
  [
    'a dead-letter CACerts that is no certificate',
    { delivery: { deadLetterSink: { uri: 'http://x/', CACerts: 'pem' } } },
    'spec.delivery.deadLetterSink.CACerts',
    /^must hold at least one PEM certificate/,
  ],
];

describe('Trigger: the fields of its schema', () => {
  for (const [name, spec, field, message] of schemaCases) {
    test(`${name} is refused at ${field}`, () => {
      const errors = validateResource(trigger({ subscriber: SUBSCRIBER, ...spec }));
      const found = errors.find((e) => e.field === field);
      assert.match(found?.message ?? JSON.stringify(errors), message);
    });
  }

  test('every field of the v1 schema, with the experimental delivery fields cemesh serves, is accepted', () => {
    const spec = {
      broker: 'default',
      filter: { attributes: { type: 't' } },
      filters: [
        { all: [{ exact: { type: 't' } }, { not: { prefix: { source: 's' } } }] },
        { cesql: "type = 't'" },
      ],
      subscriber: { ref: { apiVersion: 'v1', kind: 'Service', name: 's', namespace: 'default' }, uri: '/x' },
      delivery: {
        retry: 1,
        backoffPolicy: 'linear',
        backoffDelay: 'PT1S',
        timeout: 'PT1S',
        retryAfterMax: 'PT1S',
        format: 'json',
        deadLetterSink: { uri: 'http://dls.example/' },
      },
    };
    assert.deepEqual(validateResource(trigger(spec)), []);
  });
});

describe('Trigger defaults', () => {
  const defaulted = defaultResource(
    trigger({
      subscriber: { ref: { apiVersion: 'v1', kind: 'Service', name: 'svc' } },
      delivery: { deadLetterSink: { ref: { apiVersion: 'v1', kind: 'Service', name: 'dls' } } },
    }) as unknown as Resource,
  );

  test('spec.broker defaults to default', () => assert.equal(defaulted.spec?.broker, 'default'));

  test('Trigger MUST default spec.filter to empty filter', () =>
    assert.deepEqual(defaulted.spec?.filter, {}));

  test('Trigger subscriber namespace MUST be defaulted to Trigger namespace', () => {
    assert.deepEqual(defaulted.spec?.subscriber, {
      ref: { apiVersion: 'v1', kind: 'Service', name: 'svc', namespace: 'team-a' },
    });
  });

  test('the dead-letter sink namespace is defaulted too', () => {
    assert.deepEqual(defaulted.spec?.delivery, {
      deadLetterSink: { ref: { apiVersion: 'v1', kind: 'Service', name: 'dls', namespace: 'team-a' } },
    });
  });

  test('max-inflight annotation defaults to 100, the broker label is set', () => {
    assert.equal(defaulted.metadata.annotations?.['eventing.cemesh.dev/max-inflight'], '100');
    assert.equal(defaulted.metadata.labels?.['eventing.knative.dev/broker'], 'default');
  });

  test('a ref namespace that is given is kept; a given max-inflight is kept', () => {
    const object = defaultResource(
      trigger(
        { broker: 'b', subscriber: { ref: { kind: 'Service', name: 'svc', namespace: 'other' } } },
        { 'eventing.cemesh.dev/max-inflight': '7' },
      ) as unknown as Resource,
    );
    assert.equal((object.spec?.subscriber as { ref: { namespace: string } }).ref.namespace, 'other');
    assert.equal(object.metadata.annotations?.['eventing.cemesh.dev/max-inflight'], '7');
    assert.equal(object.metadata.labels?.['eventing.knative.dev/broker'], 'b');
  });

  test('a defaulted trigger is still valid, and defaulting is idempotent', () => {
    assert.deepEqual(validateResource(defaulted), []);
    assert.deepEqual(defaultResource(defaulted), defaulted);
  });

  test('the typed spec', () => {
    const spec = triggerSpec(defaultResource(parse(KNATIVE_TRIGGER_FILTERS) as Resource));
    assert.equal(spec.broker, 'default');
    assert.equal(spec.maxInflight, 20);
    assert.deepEqual(spec.subscriber, {
      ref: {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        name: 'my-service',
        namespace: 'default',
      },
      uri: '/my-custom-path',
    });
    assert.equal(spec.filters?.length, 2);
    assert.deepEqual(spec.filter, {});
    assert.equal(spec.delivery?.retry, 3);
    assert.equal(triggerSpec(trigger({ subscriber: SUBSCRIBER }) as unknown as Resource).maxInflight, 100);
  });
});

describe('Trigger updates', () => {
  const stored = defaultResource(parse(KNATIVE_TRIGGER_ATTRIBUTES) as Resource);

  test("the Trigger's spec.broker MUST NOT permit updates", () => {
    const next = structuredClone(stored);
    next.spec!.broker = 'other';
    assert.deepEqual(validateResourceUpdate(stored, next), [
      { field: 'spec.broker', message: 'is immutable; delete and re-create the trigger' },
    ]);
  });

  test('leaving spec.broker out keeps the default broker, which is no change', () => {
    const created = defaultResource(trigger({ subscriber: SUBSCRIBER }) as unknown as Resource);
    assert.deepEqual(
      validateResourceUpdate(created, trigger({ subscriber: SUBSCRIBER }) as unknown as Resource),
      [],
    );
  });

  test('subscriber and filter changes are permitted', () => {
    const next = structuredClone(stored);
    next.spec!.subscriber = SUBSCRIBER;
    next.spec!.filter = { attributes: { type: 'other' } };
    assert.deepEqual(validateResourceUpdate(stored, next), []);
  });
});
