import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldError } from '../errors.js';
import { validateResource } from './index.js';

const broker = (metadata: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata,
  ...extra,
});

const namespace = (metadata: unknown): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata,
});

interface Case {
  readonly name: string;
  readonly object: unknown;
  readonly errors: readonly FieldError[];
}

const cases: readonly Case[] = [
  { name: 'a minimal namespaced object', object: broker({ name: 'b', namespace: 'ns' }), errors: [] },
  {
    name: 'not a mapping',
    object: 'Broker',
    errors: [{ field: '', message: 'a resource must be a mapping with apiVersion, kind and metadata' }],
  },
  {
    name: 'apiVersion and kind missing',
    object: { metadata: { name: 'x' } },
    errors: [
      { field: 'apiVersion', message: 'required' },
      { field: 'kind', message: 'required' },
    ],
  },
  {
    name: 'apiVersion not a string',
    object: { apiVersion: 1, kind: 'Broker', metadata: { name: 'x', namespace: 'ns' } },
    errors: [{ field: 'apiVersion', message: 'must be a string' }],
  },
  {
    name: 'unknown kind names kind and apiVersion',
    object: {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Brokr',
      metadata: { name: 'x', namespace: 'ns' },
    },
    errors: [{ field: 'kind', message: 'unknown kind "Brokr" in eventing.knative.dev/v1' }],
  },
  {
    name: 'known kind at the wrong apiVersion',
    object: {
      apiVersion: 'eventing.knative.dev/v2',
      kind: 'Broker',
      metadata: { name: 'x', namespace: 'ns' },
    },
    errors: [
      {
        field: 'apiVersion',
        message:
          'Broker is served as eventing.knative.dev/v1, eventing.knative.dev/v1beta1, eventing.knative.dev/v1alpha1, not eventing.knative.dev/v2',
      },
    ],
  },
  {
    name: 'a kind of another API group with a served name',
    object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x' } },
    errors: [
      {
        field: 'apiVersion',
        message:
          'Application is served as applicationconnector.kyma-project.io/v1alpha1, not argoproj.io/v1alpha1',
      },
    ],
  },
  {
    name: 'kind spelled in lower case is accepted',
    object: {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'broker',
      metadata: { name: 'b', namespace: 'ns' },
    },
    errors: [],
  },
  {
    name: 'metadata missing',
    object: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker' },
    errors: [{ field: 'metadata.name', message: 'required' }],
  },
  {
    name: 'metadata not a mapping',
    object: broker(['x']),
    errors: [{ field: 'metadata', message: 'must be a mapping, not a list' }],
  },
  {
    name: 'name and namespace missing on a namespaced kind',
    object: broker({}),
    errors: [
      { field: 'metadata.name', message: 'required' },
      { field: 'metadata.namespace', message: 'required' },
    ],
  },
  {
    name: 'name not a string',
    object: broker({ name: 42, namespace: 'ns' }),
    errors: [{ field: 'metadata.name', message: 'must be a string, not a number' }],
  },
  {
    name: 'name with upper case letters',
    object: broker({ name: 'My_Broker', namespace: 'ns' }),
    errors: [
      {
        field: 'metadata.name',
        message:
          '"My_Broker" must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
    ],
  },
  {
    name: 'a dotted name is a valid subdomain',
    object: broker({ name: 'a.b-c', namespace: 'ns' }),
    errors: [],
  },
  {
    name: 'a name over 253 characters',
    object: broker({ name: 'a'.repeat(254), namespace: 'ns' }),
    errors: [
      {
        field: 'metadata.name',
        message: '"' + 'a'.repeat(77 - 1) + '... must be no more than 253 characters',
      },
    ],
  },
  {
    name: 'a namespace name must be an RFC 1123 label (no dots)',
    object: namespace({ name: 'team.a' }),
    errors: [
      {
        field: 'metadata.name',
        message:
          '"team.a" must be an RFC 1123 label: lower case letters, digits and "-", starting and ending with a letter or digit',
      },
    ],
  },
  {
    name: 'a namespace name over 63 characters',
    object: namespace({ name: 'n'.repeat(64) }),
    errors: [{ field: 'metadata.name', message: `"${'n'.repeat(64)}" must be no more than 63 characters` }],
  },
  {
    name: 'a cluster-scoped kind ignores metadata.namespace',
    object: namespace({ name: 'team-a', namespace: 'Not Valid' }),
    errors: [],
  },
  {
    name: 'an invalid namespace on a namespaced kind',
    object: broker({ name: 'b', namespace: 'Team_A' }),
    errors: [
      {
        field: 'metadata.namespace',
        message:
          '"Team_A" must be an RFC 1123 label: lower case letters, digits and "-", starting and ending with a letter or digit',
      },
    ],
  },
  {
    name: 'labels with valid keys and values',
    object: broker({
      name: 'b',
      namespace: 'ns',
      labels: { 'app.kubernetes.io/name': 'knative-eventing', tier: '', 'x_y.z': 'A-1_b.2' },
    }),
    errors: [],
  },
  {
    name: 'labels: bad key, bad value, non-string value',
    object: broker({
      name: 'b',
      namespace: 'ns',
      labels: { 'bad key': 'v', good: 'no spaces allowed', count: 3, 'Example.com/x': 'v' },
    }),
    errors: [
      {
        field: 'metadata.labels[bad key]',
        message:
          'key name part must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      },
      {
        field: 'metadata.labels[good]',
        message:
          'value "no spaces allowed" must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      },
      { field: 'metadata.labels[count]', message: 'must be a string, not a number' },
      {
        field: 'metadata.labels[Example.com/x]',
        message:
          'key prefix must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
    ],
  },
  {
    name: 'labels not a mapping',
    object: broker({ name: 'b', namespace: 'ns', labels: 'a=b' }),
    errors: [{ field: 'metadata.labels', message: 'must be a mapping, not a string' }],
  },
  {
    name: 'annotations: any string value, keys checked',
    object: broker({
      name: 'b',
      namespace: 'ns',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"a": 1}\n',
        '/x': 'v',
        flag: true,
      },
    }),
    errors: [
      { field: 'metadata.annotations[/x]', message: 'key has an empty prefix before "/"' },
      { field: 'metadata.annotations[flag]', message: 'must be a string, not a boolean' },
    ],
  },
  {
    name: 'annotations over 256 KiB in total',
    object: broker({ name: 'b', namespace: 'ns', annotations: { big: 'x'.repeat(256 * 1024) } }),
    errors: [{ field: 'metadata.annotations', message: 'must be no more than 262144 bytes in total' }],
  },
  {
    name: 'system fields of the wrong type',
    object: broker({ name: 'b', namespace: 'ns', uid: 7, resourceVersion: '12', generation: -1 }),
    errors: [
      { field: 'metadata.uid', message: 'must be a string, not a number' },
      { field: 'metadata.generation', message: 'must be a non-negative integer' },
    ],
  },
  {
    name: 'an unknown top-level field is refused (strict field validation); status is kept',
    object: broker({ name: 'b', namespace: 'ns' }, { extra: { anything: 1 }, status: { conditions: [] } }),
    errors: [
      {
        field: 'extra',
        message: 'unknown field; this mapping holds apiVersion, kind, metadata, spec, status',
      },
    ],
  },
  {
    name: 'a misspelled metadata field is refused; Kubernetes metadata cemesh does not honour is not supported',
    object: broker({ name: 'b', namespace: 'ns', lables: {}, finalizers: ['x'] }),
    errors: [
      { field: 'metadata.lables', message: 'unknown field (did you mean "labels"?)' },
      {
        field: 'metadata.finalizers',
        message: 'is not supported: cemesh deletes objects at once, with nothing to wait for',
      },
    ],
  },
  {
    name: 'spec must be a mapping when present',
    object: broker({ name: 'b', namespace: 'ns' }, { spec: ['x'] }),
    errors: [{ field: 'spec', message: 'must be a mapping' }],
  },
  {
    name: 'a null spec is an absent spec',
    object: broker({ name: 'b', namespace: 'ns' }, { spec: null }),
    errors: [],
  },
  {
    name: 'every error at once: type, metadata and spec',
    object: {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Brokr',
      metadata: { labels: { 'a b': 'c' } },
      spec: 1,
    },
    errors: [
      { field: 'kind', message: 'unknown kind "Brokr" in eventing.knative.dev/v1' },
      { field: 'metadata.name', message: 'required' },
      {
        field: 'metadata.labels[a b]',
        message:
          'key name part must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      },
      { field: 'spec', message: 'must be a mapping' },
    ],
  },
];

describe('validateResource: type and metadata', () => {
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(validateResource(c.object), c.errors);
    });
  }
});
