/**
 * The only place that picks a backend (ARCHITECTURE 4). Backends are opened on first use, once each.
 */
import { join } from 'node:path';
import { MeshError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { RateLimiter } from '../core/rate-limit.js';
import type { PersistenceKind } from '../core/resources/index.js';
import type { Backend, ResourceStore } from '../store/contracts.js';
import { createMemoryBackend, createMemoryResourceStore } from '../store/memory/index.js';
import type { ServerConfig } from './config.js';

interface OpenedStores {
  readonly backend: Backend;
  readonly resources: ResourceStore;
}

export interface Backends {
  get(kind: PersistenceKind): Promise<Backend>;
  /**
   * Where resources live: the embedded store by default, memory when the server default is memory, the
   * NATS KV bucket when it is jetstream (so every replica on that NATS shares them: ARCHITECTURE 5).
   */
  resources(): Promise<ResourceStore>;
  close(): Promise<void>;
}

export function createBackends(config: ServerConfig, logger?: Logger): Backends {
  // Work in the background that fails no request (a history write, compaction) is reported, at most
  // once a minute per kind.
  const limiter = new RateLimiter({ burst: 1, windowMs: 60_000 });
  const reportAs =
    (what: string) =>
    (error: unknown): void => {
      const heldBack = limiter.take(what, Date.now());
      if (heldBack !== undefined) logger?.warn({ err: error, heldBack }, what);
    };
  const memory = createMemoryBackend({ backlog: config.memoryBacklog });
  let embedded: Promise<OpenedStores> | undefined;
  let memoryResources: ResourceStore | undefined;
  let jetstream: Promise<OpenedStores> | undefined;
  // Loaded on first use, so a memory-only server never loads the SQLite addon.
  const openEmbeddedOnce = (): Promise<OpenedStores> =>
    (embedded ??= import('../backends/embedded/index.js').then((m) =>
      m.openEmbedded({
        dataDir: join(config.dataDir, 'embedded'),
        retentionMs: config.retentionMs,
        maxBytes: config.maxStoreBytes,
        faultCommitDelayMs: config.faultCommitDelayMs,
        onHistoryError: reportAs('delivery history not written'),
      }),
    ));

  // Opened on first use too; a failed open (NATS down) is forgotten, so the next use tries again.
  const openJetStreamOnce = (): Promise<OpenedStores> => {
    if (config.nats.length === 0) {
      return Promise.reject(
        new MeshError(
          'MESH_BACKEND_UNAVAILABLE',
          'the jetstream backend needs --nats with the NATS server URL(s)',
        ),
      );
    }
    return (jetstream ??= import('../backends/jetstream/index.js')
      .then((m) =>
        m.openJetStream({
          servers: config.nats,
          maxAgeMs: config.retentionMs,
          // A full stream refuses (507) rather than drop: the same limit as the embedded store's.
          maxBytesPerStream: config.maxStoreBytes,
          replicas: config.natsReplicas,
          ...(config.natsAckWaitMs === undefined ? {} : { ackWaitMs: config.natsAckWaitMs }),
          ...(config.natsClaimTtlMs === undefined ? {} : { claimTtlMs: config.natsClaimTtlMs }),
          onError: reportAs('jetstream background work failed (delivery history or compaction)'),
          ...(config.natsCreds === undefined ? {} : { credsFile: config.natsCreds }),
          ...(config.natsTlsCa === undefined ? {} : { tls: { caFile: config.natsTlsCa } }),
        }),
      )
      .catch((error: unknown) => {
        jetstream = undefined;
        throw error;
      }));
  };

  return {
    async get(kind) {
      switch (kind) {
        case 'memory':
          return memory;
        case 'embedded':
          return (await openEmbeddedOnce()).backend;
        case 'jetstream':
          return (await openJetStreamOnce()).backend;
      }
    },
    async resources() {
      if (config.backend === 'memory') return (memoryResources ??= createMemoryResourceStore());
      if (config.backend === 'jetstream') return (await openJetStreamOnce()).resources;
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
      if (jetstream) {
        const opened = await jetstream.catch(() => undefined);
        await opened?.backend.close();
        await opened?.resources.close();
      }
    },
  };
}
