export { createMemoryBackend, DEFAULT_RETAIN_EVENTS, type MemoryBackendOptions } from './backend.js';
export { createMemoryResourceStore, type MemoryResourceStoreOptions } from './resources.js';
