// The embedded backend (SQLite) against the store conformance suites, durable. Each factory closes the
// other half of the pair it opens, so the database file is released between reopens.
import { openEmbedded } from '../../src/backends/embedded/index.js';
import type { Backend, ResourceStore } from '../../src/store/contracts.js';
import { backendConformance, resourceStoreConformance } from './store-suite.js';
import { orderedConformance } from './ordered-suite.js';

backendConformance('embedded', {
  durable: true,
  async open(dir: string): Promise<Backend> {
    const { backend, resources } = await openEmbedded({ dataDir: dir, leaseSweepMs: 5 });
    await resources.close();
    return backend;
  },
});

resourceStoreConformance('embedded', {
  durable: true,
  retainedChanges: 5,
  async open(dir: string): Promise<ResourceStore> {
    const { backend, resources } = await openEmbedded({ dataDir: dir, changeLogSize: 5 });
    await backend.close();
    return resources;
  },
});

orderedConformance('embedded', {
  durable: true,
  async open(dir: string): Promise<Backend> {
    const { backend, resources } = await openEmbedded({ dataDir: dir, leaseSweepMs: 5 });
    await resources.close();
    return backend;
  },
});
