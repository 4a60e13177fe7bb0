/**
 * Derives a Function's status as Kyma shows it (`ConfigurationReady`, `BuildReady`, `Running`, `runtime`,
 * `replicas`) plus cemesh's `Ready`, and hands the resolved spec to the function host. The host builds and
 * runs in the background and asks for another reconcile whenever its state changes.
 */
import { functionLifecycle } from '../../core/resources/function/conditions.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';
import type { Resource } from '../../core/resources/object.js';
import {
  memoryLimitMb,
  profileOf,
  replicasOf,
  resolveEnv,
  type FunctionSpec,
} from '../../core/resources/function/spec.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import type { ReconcileHook } from './hooks.js';

export interface FunctionContext {
  readonly cache: ResourceCache;
  readonly dataPlane: DataPlane;
  readonly now: string;
}

export function reconcileFunction(ctx: FunctionContext, fn: Resource): Record<string, unknown> {
  const namespace = namespaceOrDefault(fn.metadata.namespace);
  const name = fn.metadata.name;
  const spec = fn.spec as unknown as FunctionSpec;
  const lifecycle = functionLifecycle(fn.status?.conditions, ctx.now);
  const env = resolveEnv(spec, (configMap) => {
    const data = ctx.cache.get('ConfigMap', namespace, configMap)?.['data'];
    return data as Record<string, string> | undefined;
  });
  if ('env' in env) {
    lifecycle.markConfigurationReady();
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
  } else lifecycle.markConfigurationFailed(env.reason, env.message);

  const state = ctx.dataPlane.functionState(namespace, name);
  if (state) {
    lifecycle.markBuild(state.build);
    lifecycle.markRunning(state.running);
  } else lifecycle.markWaiting();
  return {
    observedGeneration: fn.metadata.generation,
    runtime: spec.runtime,
    replicas: state?.readyReplicas ?? 0,
    functionResourceProfile: profileOf(spec),
    conditions: lifecycle.conditions,
  };
}

export const functionHook: ReconcileHook = {
  reconcile: (ctx, fn) => ({ status: reconcileFunction(ctx, fn) }),
  watches: {
    // A Function's env may read ConfigMaps of its namespace.
    ConfigMap: (cache, configMap) => cache.list('Function', configMap.metadata.namespace),
  },
  deleted: (ctx, fn) =>
    ctx.dataPlane.removeFunction(namespaceOrDefault(fn.metadata.namespace), fn.metadata.name),
};
