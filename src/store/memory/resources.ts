/**
 * The memory resource store: resources live in this process only (lost on restart). Semantics are those of
 * VersionedResourceStore; watches resume from the last `changeLogSize` changes (default 10,000).
 */
import type { ResourceStore } from '../contracts.js';
import { VersionedResourceStore } from '../resources/versioned-store.js';

export interface MemoryResourceStoreOptions {
  /** How many changes are retained for resuming watches (default 10,000). */
  readonly changeLogSize?: number;
}

export function createMemoryResourceStore(options: MemoryResourceStoreOptions = {}): ResourceStore {
  return new VersionedResourceStore(
    options.changeLogSize === undefined ? {} : { changeLogSize: options.changeLogSize },
  );
}
