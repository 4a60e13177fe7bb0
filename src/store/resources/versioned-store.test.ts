import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '../../core/resources/object.js';
import { VersionedResourceStore } from './versioned-store.js';

function trigger(name: string, extra: Record<string, unknown> = {}): Resource {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name, namespace: 'default', labels: { team: 'a' } },
    spec: { broker: 'default', filters: [{ exact: { type: 'x' } }] },
    ...extra,
  } as Resource;
}

function isDeeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

test('a stored object is a deeply frozen copy: the caller changing its object afterwards changes nothing', async () => {
  const store = new VersionedResourceStore();
  const written = trigger('t1');
  const stored = await store.create(written);
  (written.spec as { filters: unknown[] }).filters.push({ exact: { source: 'y' } });
  written.metadata.labels = { team: 'b' };
  assert.ok(isDeeplyFrozen(stored));
  const read = await store.get({ kind: 'Trigger', namespace: 'default', name: 't1' });
  assert.deepEqual(read?.spec, { broker: 'default', filters: [{ exact: { type: 'x' } }] });
  assert.deepEqual(read?.metadata.labels, { team: 'a' });
});

test('the resourceVersion is set in the copy, the other metadata keys kept in their order', async () => {
  const store = new VersionedResourceStore();
  const stored = await store.create(trigger('t1'));
  assert.deepEqual(Object.keys(stored.metadata), ['name', 'namespace', 'labels', 'resourceVersion']);
  assert.equal(stored.metadata.resourceVersion, '1');
  const replaced = await store.replace({ ...stored, status: { observedGeneration: 1 } } as Resource);
  assert.deepEqual(Object.keys(replaced.metadata), ['name', 'namespace', 'labels', 'resourceVersion']);
  assert.equal(replaced.metadata.resourceVersion, '2');
});

test('a write that carries stored parts along shares them instead of copying them', async () => {
  const store = new VersionedResourceStore();
  const stored = await store.create(trigger('t1'));
  const replaced = await store.replace({
    ...stored,
    status: { conditions: [{ type: 'Ready' }] },
  } as Resource);
  assert.equal(replaced.spec, stored.spec);
  assert.ok(isDeeplyFrozen(replaced));
  assert.notEqual(replaced.metadata, stored.metadata);
});

test('a "__proto__" key stays an own key of the stored object, not its prototype', async () => {
  const store = new VersionedResourceStore();
  const written = JSON.parse(
    '{"apiVersion":"v1","kind":"Thing","metadata":{"name":"p"},"spec":{"__proto__":{"polluted":true}}}',
  ) as Resource;
  const stored = await store.create(written);
  const spec = stored.spec as Record<string, unknown>;
  assert.ok(Object.hasOwn(spec, '__proto__'));
  assert.equal(Object.getPrototypeOf(spec), Object.prototype);
  assert.equal((spec as { polluted?: unknown }).polluted, undefined);
  assert.equal(JSON.stringify(stored.spec), '{"__proto__":{"polluted":true}}');
});
