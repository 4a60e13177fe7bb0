// Every kind's sample (the console's New, `cemesh create KIND NAME`) is an object its own admission accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allKinds, sampleObject, validateResource } from './index.js';

for (const kind of allKinds()) {
  test(`${kind.kind}: the sample passes validation`, () => {
    const object = sampleObject(kind, 'default');
    if (object === undefined) return;
    assert.deepEqual(validateResource(object), []);
    assert.equal(object.metadata.namespace, kind.namespaced ? 'default' : undefined);
  });
}

test('a sample is named by the caller, and each call returns a new copy', () => {
  const trigger = allKinds().find((k) => k.kind === 'Trigger');
  assert.ok(trigger);
  const a = sampleObject(trigger, 'team', 'orders');
  const b = sampleObject(trigger, 'team');
  assert.equal(a?.metadata.name, 'orders');
  assert.equal(b?.metadata.name, 'my-trigger');
  assert.notEqual(a?.spec, b?.spec);
});
