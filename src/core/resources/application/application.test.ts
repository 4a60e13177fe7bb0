import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { FieldError } from '../../errors.js';
import { applicationSpec, validateResource, validateResourceUpdate, type Resource } from '../index.js';

// The sample of Kyma's Application CR documentation, and the Kyma getting-started application.
const KYMA_SAMPLE = `
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: system-prod
spec:
  description: This is the system-production Application.
  labels:
    region: us
    kind: production
`;

const KYMA_FULL = `
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: commerce
  labels:
    application-type: commerce
spec:
  description: Commerce mock
  skipVerify: true
  encodeUrl: false
  displayName: Commerce
  providerDisplayName: SAP
  tags: [orders]
  compassMetadata:
    applicationId: 6a1b
  services:
    - id: 5b6c
      name: orders
      displayName: Orders
      providerDisplayName: SAP
      entries:
        - type: Events
`;

const application = (spec: unknown): Record<string, unknown> => ({
  apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'commerce' },
  spec,
});

describe('Application: valid manifests', () => {
  test('the Kyma documentation sample', () => assert.deepEqual(validateResource(parse(KYMA_SAMPLE)), []));
  test('an application with services and the other Kyma fields', () => {
    assert.deepEqual(validateResource(parse(KYMA_FULL)), []);
  });
  test('no spec at all', () => {
    assert.deepEqual(validateResource({ ...application(undefined), spec: undefined }), []);
  });
  test('cluster-scoped: a namespace in the manifest is ignored', () => {
    const object = parse(KYMA_SAMPLE) as Resource;
    object.metadata.namespace = 'kyma-integration';
    assert.deepEqual(validateResource(object), []);
  });
  test('the typed spec', () => {
    assert.deepEqual(applicationSpec(parse(KYMA_SAMPLE) as Resource), {
      description: 'This is the system-production Application.',
    });
  });
});

const cases: readonly { name: string; object: Record<string, unknown>; errors: FieldError[] }[] = [
  {
    name: 'an application name with upper case letters (Kyma: lower case alphanumerics, "-" and ".")',
    object: { ...application({}), metadata: { name: 'Commerce' } },
    errors: [
      {
        field: 'metadata.name',
        message:
          '"Commerce" must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
    ],
  },
  {
    name: 'Kyma fields of the wrong type',
    object: application({
      description: 42,
      skipVerify: 'yes',
      labels: { region: 1 },
      tags: 'orders',
      compassMetadata: [],
      services: [{ id: 5 }, 'orders'],
    }),
    errors: [
      { field: 'spec.description', message: 'must be a string, not a number' },
      { field: 'spec.skipVerify', message: 'must be a boolean, not a string' },
      { field: 'spec.labels[region]', message: 'must be a string, not a number' },
      { field: 'spec.tags', message: 'must be a list, not a string' },
      { field: 'spec.compassMetadata', message: 'must be a mapping, not a list' },
      { field: 'spec.services[0].id', message: 'must be a string, not a number' },
      { field: 'spec.services[1]', message: 'must be a mapping, not a string' },
    ],
  },
  {
    name: 'services not a list',
    object: application({ services: { id: 'x' } }),
    errors: [{ field: 'spec.services', message: 'must be a list, not a mapping' }],
  },
];

describe('Application: every error with its path', () => {
  for (const c of cases) test(c.name, () => assert.deepEqual(validateResource(c.object), c.errors));

  test('the spec may change; the name may not', () => {
    const stored = parse(KYMA_SAMPLE) as Resource;
    const next = structuredClone(stored);
    next.spec = { description: 'changed' };
    assert.deepEqual(validateResourceUpdate(stored, next), []);
    next.metadata.name = 'other';
    assert.deepEqual(validateResourceUpdate(stored, next), [
      { field: 'metadata.name', message: 'is immutable' },
    ]);
  });
});
