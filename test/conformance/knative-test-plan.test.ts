// The Broker and Trigger manifests of Knative's conformance test plan (knative/specs test-plan, broker
// lifecycle), read from the conformance data: each is valid as written, once the API has given it a namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultResource, validateResource, type Resource } from '../../src/core/resources/index.js';
import { conformancePath } from '../support/conformance.js';

const plan = conformancePath(
  'Knative test plan manifests',
  'knative-specs/test-plan/eventing/control-plane/broker-lifecycle',
);

if (plan !== undefined) {
  const read = (file: string) => {
    const object = parse(readFileSync(join(plan, file), 'utf8')) as Resource;
    object.metadata.namespace = 'default';
    return object;
  };

  test('the test plan broker is valid (kind written `broker`, namespace given by the API)', () => {
    const object = read('broker.yaml');
    assert.deepEqual(validateResource(object), []);
    assert.equal(defaultResource(object).kind, 'Broker');
  });

  for (const file of ['trigger.yaml', 'trigger-no-broker.yaml']) {
    test(`the test plan ${file} is valid`, () => assert.deepEqual(validateResource(read(file)), []));
  }
}
