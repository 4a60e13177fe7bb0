/** Derives a Broker's status from the world: its persistence resolves and its backend opened it. */
import {
  readyFrom,
  resolvePersistence,
  setCondition,
  type PersistenceKind,
} from '../../core/resources/index.js';
import type { Condition, Resource } from '../../core/resources/object.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';

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
  const namespace = broker.metadata.namespace ?? 'default';
  const name = broker.metadata.name;
  let conditions: Condition[] | undefined = broker.status?.conditions;
  const status: Record<string, unknown> = { observedGeneration: broker.metadata.generation };
  const persistence = resolvePersistence({
    broker,
    namespace: ctx.cache.get('Namespace', undefined, namespace),
    configMap: (ns, cm) => ctx.cache.get('ConfigMap', ns, cm),
    serverDefault: ctx.serverDefault,
  });
  if ('error' in persistence) {
    conditions = setCondition(
      conditions,
      { type: 'BackendReady', status: 'False', reason: 'PersistenceInvalid', message: persistence.error },
      ctx.now,
    );
    conditions = setCondition(
      conditions,
      {
        type: 'Addressable',
        status: 'Unknown',
        reason: 'BackendNotReady',
        message: 'waiting for the backend',
      },
      ctx.now,
    );
  } else {
    status['persistence'] = { kind: persistence.kind, source: persistence.source };
    try {
      await ctx.dataPlane.ensureBroker({ namespace, name, backend: persistence.kind });
      conditions = setCondition(
        conditions,
        {
          type: 'BackendReady',
          status: 'True',
          reason: 'BackendReady',
          message: `${persistence.kind} (from ${persistence.source})`,
        },
        ctx.now,
      );
      conditions = setCondition(
        conditions,
        { type: 'Addressable', status: 'True', reason: 'Addressable' },
        ctx.now,
      );
      status['address'] = { url: brokerAddress(ctx.ingressUrl, namespace, name) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      conditions = setCondition(
        conditions,
        { type: 'BackendReady', status: 'False', reason: 'BackendUnavailable', message },
        ctx.now,
      );
      conditions = setCondition(
        conditions,
        {
          type: 'Addressable',
          status: 'Unknown',
          reason: 'BackendNotReady',
          message: 'waiting for the backend',
        },
        ctx.now,
      );
    }
  }
  const dependents = conditions.filter((c) => c.type !== 'Ready');
  conditions = setCondition(conditions, { ...readyFrom(dependents), type: 'Ready' }, ctx.now);
  status['conditions'] = conditions;
  return status;
}

export function brokerAddress(ingressUrl: string, namespace: string, name: string): string {
  return `${ingressUrl}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function isReady(object: Resource | undefined): boolean {
  return object?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
