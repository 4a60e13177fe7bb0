import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { defaultResource, fromStorage, toStorage, validateResource, type Resource } from '../index.js';
import { findKindOf } from '../registry.js';
import { subscriptionSpec } from './types.js';
import { v1alpha1ToV1alpha2, v1alpha2ToV1alpha1 } from './v1alpha1.js';

// Kyma's documentation sample (evnt-01-subscription.md) and eventing-manager's config/samples.
const KYMA_SAMPLE = `
apiVersion: eventing.kyma-project.io/v1alpha2
kind: Subscription
metadata:
  name: test
  namespace: test
spec:
  typeMatching: standard
  source: commerce
  types:
    - order.created.v1
  sink: http://test.test.svc.cluster.local
  config:
    maxInFlightMessages: "10"
`;

const KYMA_EXACT = `
apiVersion: eventing.kyma-project.io/v1alpha2
kind: Subscription
metadata:
  name: test-noapp-exact
  namespace: tunas-testing
spec:
  sink: http://test.tunas-testing.svc.cluster.local
  typeMatching: exact
  source: "/default/sap.kyma/tunas-develop"
  types:
    - sap.kyma.custom.noapp.order.created.v1
`;

// Kyma 1.x's Event Bus documentation sample.
const KYMA_1X = `
apiVersion: eventing.kyma-project.io/v1alpha1
kind: Subscription
metadata:
  name: my-subscription
  namespace: stage
spec:
  endpoint: http://testjs.default:8080/
  push_request_timeout_ms: 2000
  max_inflight: 400
  include_subscription_name_header: true
  event_type: order_created
  event_type_version: v1
  source_id: stage.commerce.kyma.local
`;

const subscription = (spec: unknown, namespace = 'shop'): Record<string, unknown> => ({
  apiVersion: 'eventing.kyma-project.io/v1alpha2',
  kind: 'Subscription',
  metadata: { name: 's', namespace },
  spec,
});
const valid = { source: 'commerce', types: ['order.created.v1'], sink: 'http://127.0.0.1:9000/' };

describe('Subscription: valid manifests', () => {
  for (const [name, text] of Object.entries({ KYMA_SAMPLE, KYMA_EXACT, KYMA_1X })) {
    test(name, () => assert.deepEqual(validateResource(parse(text)), []));
  }
  test('exact matching needs no source', () => {
    assert.deepEqual(validateResource(subscription({ ...valid, typeMatching: 'exact', source: '' })), []);
  });
});

describe('Subscription: every error with its path', () => {
  const cases: [string, unknown, string[]][] = [
    ['no spec', undefined, ['spec.sink: required', 'spec.types: required']],
    ['standard without a source', { ...valid, source: '' }, ['spec.source: required']],
    ['no types', { ...valid, types: [] }, ['spec.types: must not be empty']],
    [
      'a type of one segment, and one listed twice',
      { ...valid, types: ['order', 'a.b', 'a.b'] },
      [
        'spec.types[0]: "order" must have at least 2 segments separated by "."',
        'spec.types[2]: "a.b" is listed twice',
      ],
    ],
    [
      'the prefix in a standard type',
      { ...valid, types: ['sap.kyma.custom.commerce.order.created.v1'] },
      [
        'spec.types[0]: "sap.kyma.custom.commerce.order.created.v1" must not start with sap.kyma.custom with typeMatching standard (use exact)',
      ],
    ],
    [
      'a type that cleans to an empty segment',
      { ...valid, types: ['order.$$.v1'] },
      [
        'spec.types[0]: "order.$$.v1" cannot be cleaned: "sap.kyma.custom.commerce.order..v1" has an empty segment after cleaning',
      ],
    ],
    [
      'a source with nothing left after cleaning',
      { ...valid, source: '--' },
      [
        'spec.types[0]: "order.created.v1" cannot be cleaned: the source has no letter or digit left after cleaning',
      ],
    ],
    [
      'an unknown typeMatching',
      { ...valid, typeMatching: 'prefix' },
      ['spec.typeMatching: "prefix" must be "standard" or "exact"'],
    ],
    [
      'maxInFlightMessages not a stringified integer',
      { ...valid, config: { maxInFlightMessages: 'ten' } },
      ['spec.config.maxInFlightMessages: "ten" must be a stringified whole number from 1 to 10000'],
    ],
    [
      'an EventMesh config key',
      { ...valid, config: { qos: 'AT_LEAST_ONCE' } },
      ['spec.config.qos: unknown field; this mapping holds maxInFlightMessages'],
    ],
    [
      'a sink that is no URL',
      { ...valid, sink: 'my-service' },
      ['spec.sink: "my-service" must be an absolute URL'],
    ],
    [
      'a sink of another scheme',
      { ...valid, sink: 'ftp://x/' },
      ["spec.sink: \"ftp://x/\" must have URL scheme 'http' or 'https'"],
    ],
    [
      'a cluster-local sink in another namespace',
      { ...valid, sink: 'http://fn.other.svc.cluster.local' },
      [
        'spec.sink: "http://fn.other.svc.cluster.local" must be in the Subscription\'s namespace "shop", as Kyma requires',
      ],
    ],
    [
      'a cluster-local sink without a namespace',
      { ...valid, sink: 'http://fn.svc.cluster.local' },
      [
        'spec.sink: "http://fn.svc.cluster.local" must name a Service as <name>.<namespace>.svc.cluster.local',
      ],
    ],
  ];
  for (const [name, spec, errors] of cases) {
    test(name, () =>
      assert.deepEqual(
        validateResource(subscription(spec)).map((e) => `${e.field}: ${e.message}`),
        errors,
      ),
    );
  }
});

describe('Subscription defaults and typed spec', () => {
  test("Kyma's CRD defaults: typeMatching standard, maxInFlightMessages 10", () => {
    const object = defaultResource(subscription(valid) as unknown as Resource);
    assert.equal(object.spec?.['typeMatching'], 'standard');
    assert.deepEqual(object.spec?.['config'], { maxInFlightMessages: '10' });
    assert.deepEqual(defaultResource(object), object);
    const spec = subscriptionSpec(object);
    assert.equal(spec.maxInFlight, 10);
    assert.equal(spec.pushTimeoutMs, undefined);
    assert.equal(spec.includeNameHeader, false);
  });
});

describe('Subscription v1alpha1 (Kyma 1.x) <-> v1alpha2', () => {
  const old = parse(KYMA_1X) as Resource;
  const converted = v1alpha1ToV1alpha2(old);

  test('every v1alpha1 field maps to a v1alpha2 field or annotation', () => {
    assert.equal(converted.apiVersion, 'eventing.kyma-project.io/v1alpha2');
    assert.deepEqual(converted.spec, {
      typeMatching: 'standard',
      sink: 'http://testjs.default:8080/',
      source: 'stage.commerce.kyma.local',
      types: ['order_created.v1'],
      config: { maxInFlightMessages: '400' },
    });
    assert.deepEqual(converted.metadata.annotations, {
      'eventing.cemesh.dev/push-request-timeout-ms': '2000',
      'eventing.cemesh.dev/include-subscription-name-header': 'true',
    });
    const spec = subscriptionSpec(converted);
    assert.equal(spec.pushTimeoutMs, 2000);
    assert.equal(spec.includeNameHeader, true);
    assert.equal(spec.maxInFlight, 400);
  });

  test('read back as v1alpha1 it is what was written', () => {
    assert.deepEqual(v1alpha2ToV1alpha1(converted), old);
  });

  test('through the registry: stored as v1alpha2, served as v1alpha1', () => {
    const served = findKindOf(old.apiVersion, old.kind);
    assert.ok(served);
    const stored = defaultResource(old);
    assert.equal(stored.apiVersion, 'eventing.kyma-project.io/v1alpha2');
    assert.deepEqual(fromStorage(served, stored).spec, old.spec);
    assert.deepEqual(toStorage(served, old), converted);
  });

  test('a v1alpha2 object with several types shows its first as v1alpha1', () => {
    const object = subscription({ ...valid, types: ['a.b.v2', 'c.d.v1'] }) as unknown as Resource;
    assert.deepEqual(v1alpha2ToV1alpha1(object).spec, {
      endpoint: valid.sink,
      source_id: 'commerce',
      event_type: 'a.b',
      event_type_version: 'v2',
    });
  });

  test('a field v1alpha1 does not have is refused by name; a wrong value at its v1alpha2 path', () => {
    const errors = validateResource({ ...old, spec: { ...old.spec, topic: 'x', max_inflight: 0 } });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['spec.topic', 'spec.config.maxInFlightMessages'],
    );
  });
});
