/** Derives a Broker's status from the world: its persistence resolves and its backend opened it. */
import { isPersistenceKind, resolvePersistence, type PersistenceKind } from '../../core/resources/index.js';
import { brokerPersistence } from '../../core/resources/broker/types.js';
import { PERSISTENCE_ANNOTATION } from '../../core/resources/namespace/types.js';
import {
  BACKEND_UNAVAILABLE,
  brokerLifecycle,
  type BrokerLifecycle,
} from '../../core/resources/broker/conditions.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';
import type { Condition, Resource } from '../../core/resources/object.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import type { ReconcileHook } from './hooks.js';

export interface BrokerContext {
  readonly cache: ResourceCache;
  readonly dataPlane: DataPlane;
  readonly serverDefault: PersistenceKind;
  readonly ingressUrl: string;
  readonly now: string;
}

export async function reconcileBroker(
  ctx: BrokerContext,
  broker: Resource,
): Promise<Record<string, unknown>> {
  const namespace = namespaceOrDefault(broker.metadata.namespace);
  const name = broker.metadata.name;
  const status: Record<string, unknown> = { observedGeneration: broker.metadata.generation };
  const lifecycle = brokerLifecycle(broker.status?.conditions, ctx.now);
  if (await openBackend(ctx, broker, status, lifecycle)) {
    lifecycle.markAddressable();
    status['address'] = { url: brokerAddress(ctx.ingressUrl, namespace, name) };
  } else lifecycle.markAddressUnknown();
  const ready = lifecycle.ready;
  ctx.dataPlane.setBrokerReadiness(
    namespace,
    name,
    ready?.status === 'True' ? undefined : `${ready?.reason ?? 'NotReady'}: ${ready?.message ?? ''}`,
  );
  return { ...status, conditions: lifecycle.conditions };
}

/**
 * Resolves the broker's persistence and opens its store there, marking BackendReady; true when it is open.
 */
async function openBackend(
  ctx: BrokerContext,
  broker: Resource,
  status: Record<string, unknown>,
  lifecycle: BrokerLifecycle,
): Promise<boolean> {
  const namespace = namespaceOrDefault(broker.metadata.namespace);
  // Storage is fixed once resolved (docs/store.md "Where a broker stores its events"): a later change of
  // namespace or cluster defaults must not move a broker's pending events out from under it.
  const persistence =
    fixedPersistence(broker) ??
    resolvePersistence({
      broker,
      namespace: ctx.cache.get('Namespace', undefined, namespace),
      configMap: (ns, cm) => ctx.cache.get('ConfigMap', ns, cm),
      serverDefault: ctx.serverDefault,
    });
  if ('error' in persistence) {
    lifecycle.markPersistenceInvalid(persistence.error);
    return false;
  }
  status['persistence'] = { kind: persistence.kind, source: persistence.source };
  // What the last migration did stays shown until the next one.
  if (broker.status?.['migration'] !== undefined) status['migration'] = broker.status['migration'];
  try {
    await ctx.dataPlane.ensureBroker({ namespace, name: broker.metadata.name, backend: persistence.kind });
    const wanted = brokerPersistence(broker);
    if (wanted !== undefined && wanted !== persistence.kind) await migrate(ctx, broker, wanted, status);
    const now = status['persistence'] as { kind: string; source: string };
    lifecycle.markBackendReady(`${now.kind} (from ${now.source})`);
    return true;
  } catch (error) {
    lifecycle.markBackendUnavailable(error instanceof Error ? error.message : String(error));
    return false;
  }
}

/**
 * The broker's annotation names another storage than the one it has: move its pending events there
 * (docs/decisions/broker-migration.md) and record what moved, or why nothing did, in `status.migration`.
 * A failed move leaves the broker Ready where it was.
 */
async function migrate(
  ctx: BrokerContext,
  broker: Resource,
  to: PersistenceKind,
  status: Record<string, unknown>,
): Promise<void> {
  const namespace = namespaceOrDefault(broker.metadata.namespace);
  const from = (status['persistence'] as { kind: PersistenceKind }).kind;
  try {
    const moved = await ctx.dataPlane.migrateBroker(namespace, broker.metadata.name, to);
    status['persistence'] = {
      kind: to,
      source: `Broker annotation ${PERSISTENCE_ANNOTATION} (moved from ${from})`,
    };
    status['migration'] = { ...moved, at: ctx.now };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    status['migration'] = { from, to, error: message, at: ctx.now };
  }
}

/** The storage the broker was given when it was first resolved, kept in its status across restarts. */
function fixedPersistence(broker: Resource): { kind: PersistenceKind; source: string } | undefined {
  const recorded = broker.status?.['persistence'] as { kind?: unknown; source?: unknown } | undefined;
  const kind = recorded?.kind;
  if (!isPersistenceKind(kind)) return undefined;
  return { kind, source: typeof recorded?.source === 'string' ? recorded.source : 'an earlier reconcile' };
}

export function brokerAddress(ingressUrl: string, namespace: string, name: string): string {
  return `${ingressUrl}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function isReady(object: Resource | undefined): boolean {
  return object?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * A broker's status depends on its namespace (the persistence annotation) and on ConfigMaps (its
 * `spec.config`, `config-br-defaults`); a backend that could not be opened is tried again with backoff.
 */
export const brokerHook: ReconcileHook = {
  async reconcile(ctx, broker) {
    const status = await reconcileBroker(ctx, broker);
    const conditions = status['conditions'] as Condition[] | undefined;
    const retry = conditions?.some((c) => c.type === 'BackendReady' && c.reason === BACKEND_UNAVAILABLE);
    return { status, retry: retry === true };
  },
  watches: {
    Namespace: (cache, namespace) => cache.list('Broker', namespace.metadata.name),
    ConfigMap: (cache) => cache.list('Broker'),
  },
  deleted: (ctx, broker) =>
    ctx.dataPlane.removeBroker(namespaceOrDefault(broker.metadata.namespace), broker.metadata.name),
};
