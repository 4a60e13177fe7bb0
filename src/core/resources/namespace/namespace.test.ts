import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { defaultResource, namespacePersistence, specOf, validateResource, type Resource } from '../index.js';

const PERSISTENCE = 'metadata.annotations[eventing.cemesh.dev/persistence]';

const namespace = (annotations?: Record<string, string>): Resource => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a', ...(annotations === undefined ? {} : { annotations }) },
});

describe('Namespace', () => {
  test('a Kubernetes namespace manifest with labels and a spec', () => {
    const object = parse(`
apiVersion: v1
kind: Namespace
metadata:
  name: production
  labels:
    eventing.knative.dev/injection: enabled
  annotations:
    eventing.cemesh.dev/persistence: jetstream
spec:
  finalizers:
    - kubernetes
`) as Resource;
    assert.deepEqual(validateResource(object), []);
    assert.equal(namespacePersistence(object), 'jetstream');
  });

  for (const value of ['memory', 'embedded', 'jetstream']) {
    test(`persistence annotation ${value} is accepted`, () => {
      assert.deepEqual(validateResource(namespace({ 'eventing.cemesh.dev/persistence': value })), []);
      assert.equal(namespacePersistence(namespace({ 'eventing.cemesh.dev/persistence': value })), value);
    });
  }

  for (const value of ['Memory', 'kafka', '']) {
    test(`persistence annotation ${JSON.stringify(value)} is refused`, () => {
      assert.deepEqual(validateResource(namespace({ 'eventing.cemesh.dev/persistence': value })), [
        {
          field: PERSISTENCE,
          message: `${JSON.stringify(value)} is not a persistence; use one of memory, embedded, jetstream`,
        },
      ]);
    });
  }

  test('no annotation: no persistence of its own', () =>
    assert.equal(namespacePersistence(namespace()), undefined));

  test('defaults change nothing but return a copy', () => {
    const input = namespace();
    const defaulted = defaultResource(input);
    assert.deepEqual(defaulted, input);
    assert.notEqual(defaulted, input);
  });

  test('specOf is the spec (annotations do not bump the generation)', () => {
    assert.equal(specOf(namespace({ 'eventing.cemesh.dev/persistence': 'memory' })), undefined);
  });
});
