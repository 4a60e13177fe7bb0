/**
 * Derives a Function's status as Kyma shows it (`ConfigurationReady`, `BuildReady`, `Running`, `runtime`,
 * `replicas`) plus cemesh's `Ready`, and hands the resolved spec to the function host. The host builds and
 * runs in the background and asks for another reconcile whenever its state changes.
 */
import { markCondition } from '../../core/resources/index.js';
import { functionConditionSet } from '../../core/resources/function/conditions.js';
import type { Condition, Resource } from '../../core/resources/object.js';
import {
  memoryLimitMb,
  profileOf,
  replicasOf,
  resolveEnv,
  type FunctionSpec,
} from '../../core/resources/function/spec.js';
import { BUILD_READY, CONFIGURATION_READY, RUNNING } from '../../core/resources/function/types.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import type { ReconcileHook } from './hooks.js';

export interface FunctionContext {
  readonly cache: ResourceCache;
  readonly dataPlane: DataPlane;
  readonly now: string;
}

export function reconcileFunction(ctx: FunctionContext, fn: Resource): Record<string, unknown> {
  const namespace = fn.metadata.namespace ?? 'default';
  const name = fn.metadata.name;
  const spec = fn.spec as unknown as FunctionSpec;
  let conditions: Condition[] | undefined = fn.status?.conditions;
  const set = (
    type: string,
    status: 'True' | 'False' | 'Unknown',
    reason: string,
    message?: string,
  ): void => {
    conditions = markCondition(
      functionConditionSet,
      conditions,
      { type, status, reason, ...(message ? { message } : {}) },
      ctx.now,
    );
  };
  const env = resolveEnv(spec, (configMap) => {
    const data = ctx.cache.get('ConfigMap', namespace, configMap)?.['data'];
    return data as Record<string, string> | undefined;
  });
  if ('env' in env) {
    set(CONFIGURATION_READY, 'True', 'FunctionSpecValidated', 'the function spec is valid');
    ctx.dataPlane.ensureFunction({
      namespace,
      name,
      runtime: spec.runtime,
      source: spec.source.inline.source,
      dependencies: spec.source.inline.dependencies,
      env: env.env,
      replicas: replicasOf(spec),
      memoryMb: memoryLimitMb(spec),
    });
  } else set(CONFIGURATION_READY, 'False', env.reason, env.message);

  const state = ctx.dataPlane.functionState(namespace, name);
  if (state) {
    set(BUILD_READY, state.build.status, state.build.reason, state.build.message);
    set(RUNNING, state.running.status, state.running.reason, state.running.message);
  } else {
    set(BUILD_READY, 'Unknown', 'Waiting', 'waiting for a valid configuration');
    set(RUNNING, 'Unknown', 'Waiting', 'waiting for a valid configuration');
  }
  return {
    observedGeneration: fn.metadata.generation,
    runtime: spec.runtime,
    replicas: state?.readyReplicas ?? 0,
    functionResourceProfile: profileOf(spec),
    conditions,
  };
}

export const functionHook: ReconcileHook = {
  reconcile: (ctx, fn) => ({ status: reconcileFunction(ctx, fn) }),
  watches: {
    // A Function's env may read ConfigMaps of its namespace.
    ConfigMap: (cache, configMap) => cache.list('Function', configMap.metadata.namespace),
  },
  deleted: (ctx, fn) => ctx.dataPlane.removeFunction(fn.metadata.namespace ?? 'default', fn.metadata.name),
};
