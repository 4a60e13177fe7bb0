import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { applicationBinding, validateResource, type Resource } from '../index.js';

// The sample of Kyma's ApplicationMapping CR documentation.
const KYMA_SAMPLE = `
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: ApplicationMapping
metadata:
  name: test
  namespace: production
`;

const mapping = (metadata: Record<string, unknown>, spec?: unknown): Record<string, unknown> => ({
  apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
  kind: 'ApplicationMapping',
  metadata,
  ...(spec === undefined ? {} : { spec }),
});

describe('ApplicationMapping', () => {
  test('the Kyma documentation sample', () => assert.deepEqual(validateResource(parse(KYMA_SAMPLE)), []));

  test('a spec listing services', () => {
    assert.deepEqual(
      validateResource(mapping({ name: 'test', namespace: 'production' }, { services: [{ id: 'a1' }] })),
      [],
    );
  });

  test('binds the application of the same name to its namespace', () => {
    assert.deepEqual(applicationBinding(parse(KYMA_SAMPLE) as Resource), {
      application: 'test',
      namespace: 'production',
    });
  });

  test('namespaced: the namespace is required (the API fills in default before validating)', () => {
    assert.deepEqual(validateResource(mapping({ name: 'test' })), [
      { field: 'metadata.namespace', message: 'required' },
    ]);
  });

  test('the name must be a valid application name', () => {
    assert.deepEqual(validateResource(mapping({ name: 'Test App', namespace: 'production' })), [
      {
        field: 'metadata.name',
        message:
          '"Test App" must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
    ]);
  });

  test('spec services must be a list of mappings', () => {
    assert.deepEqual(
      validateResource(mapping({ name: 'test', namespace: 'production' }, { services: ['a1'] })),
      [{ field: 'spec.services[0]', message: 'must be a mapping, not a string' }],
    );
  });
});
