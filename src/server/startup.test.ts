import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryResourceStore } from '../store/memory/index.js';
import { ensureDefaultNamespace } from './startup.js';

test('replicas starting together on one resource store all start; the default namespace is created once', async () => {
  const resources = createMemoryResourceStore();
  // Both look before either creates, as two processes on one shared store do.
  await Promise.all([ensureDefaultNamespace(resources), ensureDefaultNamespace(resources)]);
  const namespaces = await resources.list('Namespace');
  assert.deepEqual(
    namespaces.map((n) => n.metadata.name),
    ['default'],
  );
  await resources.close();
});
