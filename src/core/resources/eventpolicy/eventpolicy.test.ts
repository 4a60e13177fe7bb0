import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { validateResource, type Resource } from '../index.js';
import { allowedSubjects, policySelectsBroker, readEventPolicy } from './types.js';

// The sample of Knative's EventPolicy documentation (docs/eventing/features/authorization).
const KNATIVE_SAMPLE = `
apiVersion: eventing.knative.dev/v1alpha1
kind: EventPolicy
metadata:
  name: event-policy
  namespace: my-ns
spec:
  to:
    - ref:
        apiVersion: eventing.knative.dev/v1
        kind: Broker
        name: my-broker
    - selector:
        apiVersion: eventing.knative.dev/v1
        kind: Broker
        matchLabels:
          key: value
  from:
    - ref:
        apiVersion: eventing.knative.dev/v1
        kind: Trigger
        name: my-trigger
        namespace: another-ns
    - sub: system:serviceaccount:my-ns:my-app
    - sub: "system:serviceaccount:other-ns:*"
  filters:
    - cesql: "type LIKE 'order.%'"
`;

const policy = (spec: unknown): Record<string, unknown> => ({
  apiVersion: 'eventing.knative.dev/v1alpha1',
  kind: 'EventPolicy',
  metadata: { name: 'p', namespace: 'my-ns' },
  spec,
});

const brokerRef = { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'b' };

describe('EventPolicy validation', () => {
  test('the Knative documentation sample', () =>
    assert.deepEqual(validateResource(parse(KNATIVE_SAMPLE)), []));

  const table: { name: string; spec: unknown; errors: { field: string; message: RegExp }[] }[] = [
    { name: 'an empty spec applies to every broker and allows nobody', spec: {}, errors: [] },
    {
      name: 'a target needs ref or selector',
      spec: { to: [{}] },
      errors: [{ field: 'spec.to[0]', message: /needs one of ref and selector/ }],
    },
    {
      name: 'a target holds ref or selector, not both',
      spec: { to: [{ ref: brokerRef, selector: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker' } }] },
      errors: [{ field: 'spec.to[0]', message: /not both/ }],
    },
    {
      name: 'targets are brokers',
      spec: { to: [{ ref: { apiVersion: 'messaging.knative.dev/v1', kind: 'Channel', name: 'c' } }] },
      errors: [
        { field: 'spec.to[0].ref.apiVersion', message: /eventing\.knative\.dev/ },
        { field: 'spec.to[0].ref.kind', message: /must be Broker/ },
      ],
    },
    {
      name: 'a ref target needs a name',
      spec: { to: [{ ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker' } }] },
      errors: [{ field: 'spec.to[0].ref.name', message: /required/ }],
    },
    {
      name: 'selector operators and values',
      spec: {
        to: [
          {
            selector: {
              apiVersion: 'eventing.knative.dev/v1',
              kind: 'Broker',
              matchExpressions: [
                { key: 'a', operator: 'Like', values: ['x'] },
                { key: 'b', operator: 'In' },
                { key: 'c', operator: 'Exists', values: ['x'] },
              ],
            },
          },
        ],
      },
      errors: [
        {
          field: 'spec.to[0].selector.matchExpressions[0].operator',
          message: /In, NotIn, Exists, DoesNotExist/,
        },
        { field: 'spec.to[0].selector.matchExpressions[1].values', message: /must not be empty for In/ },
        { field: 'spec.to[0].selector.matchExpressions[2].values', message: /must be empty for Exists/ },
      ],
    },
    {
      name: 'a sender needs ref or sub',
      spec: { from: [{}] },
      errors: [{ field: 'spec.from[0]', message: /needs one of ref and sub/ }],
    },
    {
      name: '* only ends a sub',
      spec: { from: [{ sub: 'system:*:x' }] },
      errors: [{ field: 'spec.from[0].sub', message: /may only end/ }],
    },
    {
      name: 'a sender ref names a kind with a subject',
      spec: { from: [{ ref: { apiVersion: 'sources.knative.dev/v1', kind: 'PingSource', name: 'p' } }] },
      errors: [{ field: 'spec.from[0].ref.kind', message: /Trigger, Function, Application/ }],
    },
    {
      name: "filters are checked as a trigger's",
      spec: { filters: [{ cesql: 'type = ' }] },
      errors: [{ field: 'spec.filters[0].cesql', message: /./ }],
    },
  ];
  for (const row of table) {
    test(row.name, () => {
      const errors = validateResource(policy(row.spec));
      assert.deepEqual(
        errors.map((e) => e.field),
        row.errors.map((e) => e.field),
        JSON.stringify(errors),
      );
      row.errors.forEach((expected, i) => assert.match(errors[i]?.message ?? '', expected.message));
    });
  }

  test('an unknown field is refused', () => {
    const errors = validateResource(policy({ from: [{ sub: 's', subject: 'x' }] }));
    assert.equal(errors[0]?.field, 'spec.from[0].subject');
  });
});

describe('EventPolicy meaning', () => {
  const sample = parse(KNATIVE_SAMPLE) as Resource;
  const spec = readEventPolicy(sample);
  const brokerNamed = (name: string, labels?: Record<string, string>, namespace = 'my-ns'): Resource => ({
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
  });

  test('selects brokers by ref and by labels, in its own namespace only', () => {
    assert.equal(policySelectsBroker(sample, spec, brokerNamed('my-broker')), true);
    assert.equal(policySelectsBroker(sample, spec, brokerNamed('x', { key: 'value' })), true);
    assert.equal(policySelectsBroker(sample, spec, brokerNamed('x', { key: 'other' })), false);
    assert.equal(policySelectsBroker(sample, spec, brokerNamed('my-broker', undefined, 'elsewhere')), false);
  });

  test('an empty to selects every broker of its namespace', () => {
    const open = policy({}) as unknown as Resource;
    assert.equal(policySelectsBroker(open, readEventPolicy(open), brokerNamed('any')), true);
  });

  test('resolves refs to the subjects those objects send with', () => {
    assert.deepEqual(allowedSubjects(sample, spec), [
      'system:serviceaccount:another-ns:oidc-trigger-my-trigger',
      'system:serviceaccount:my-ns:my-app',
      'system:serviceaccount:other-ns:*',
    ]);
  });
});
