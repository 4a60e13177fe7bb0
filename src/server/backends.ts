/**
 * The only place that picks a backend (ARCHITECTURE 4). Backends are opened on first use, once each.
 */
import { join } from 'node:path';
import type { PersistenceKind } from '../core/resources/index.js';
import type { Backend, ResourceStore } from '../store/contracts.js';
import { createMemoryBackend, createMemoryResourceStore } from '../store/memory/index.js';
import type { ServerConfig } from './config.js';

interface EmbeddedStores {
  readonly backend: Backend;
  readonly resources: ResourceStore;
}

export interface Backends {
  get(kind: PersistenceKind): Promise<Backend>;
  /** Where resources live: the embedded store by default, memory when the server default is memory. */
  resources(): Promise<ResourceStore>;
  close(): Promise<void>;
}

export function createBackends(config: ServerConfig): Backends {
  const memory = createMemoryBackend();
  let embedded: Promise<EmbeddedStores> | undefined;
  let memoryResources: ResourceStore | undefined;
  // Loaded on first use, so a memory-only server never loads the SQLite addon.
  const openEmbeddedOnce = (): Promise<EmbeddedStores> =>
    (embedded ??= import('../backends/embedded/index.js').then((m) =>
      m.openEmbedded({
        dataDir: join(config.dataDir, 'embedded'),
        retentionMs: config.retentionMs,
        maxBytes: config.maxStoreBytes,
      }),
    ));

  return {
    async get(kind) {
      switch (kind) {
        case 'memory':
          return memory;
        case 'embedded':
          return (await openEmbeddedOnce()).backend;
        case 'jetstream':
          throw new Error('the jetstream backend is not available in this build');
      }
    },
    async resources() {
      if (config.backend === 'memory') return (memoryResources ??= createMemoryResourceStore());
      return (await openEmbeddedOnce()).resources;
    },
    async close() {
      await memory.close();
      await memoryResources?.close();
      if (embedded) {
        const opened = await embedded;
        await opened.backend.close();
        await opened.resources.close();
      }
    },
  };
}
