import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryResourceStore } from '../store/memory/index.js';
import { ensureDefaultNamespaces } from './startup.js';

test('replicas starting together on one resource store all start; the default namespaces are created once', async () => {
  const resources = createMemoryResourceStore();
  // Both look before either creates, as two processes on one shared store do.
  await Promise.all([ensureDefaultNamespaces(resources), ensureDefaultNamespaces(resources)]);
  const namespaces = await resources.list('Namespace');
  assert.deepEqual(namespaces.map((n) => n.metadata.name).sort(), ['default', 'knative-eventing']);
  await resources.close();
});
