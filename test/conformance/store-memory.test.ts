// The memory backend and resource store against the store conformance suites (not durable).
import { backendConformance, resourceStoreConformance } from './store-suite.js';
import { orderedConformance } from './ordered-suite.js';
import { createMemoryBackend, createMemoryResourceStore } from '../../src/store/memory/index.js';

backendConformance('memory', { open: async () => createMemoryBackend(), durable: false });

resourceStoreConformance('memory', {
  open: async () => createMemoryResourceStore({ changeLogSize: 5 }),
  durable: false,
  retainedChanges: 5,
});

orderedConformance('memory', { open: async () => createMemoryBackend(), durable: false });
