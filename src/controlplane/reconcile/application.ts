/**
 * Applications, their mappings and credentials (ARCHITECTURE 2.3) -> the gateway's registry.
 *
 * An ApplicationMapping binds the Application of its name to its namespace: the reconciler makes sure the
 * namespace's `default` Broker exists (creating it as the API would, when missing: the events of a bound
 * application land there), then binds. Deleting the mapping or the Application unbinds at once (from the
 * watch event, before any queued work). A credential's token digest reaches the gateway only while its
 * Application exists.
 */
import { newUid } from '../../core/resources/uid.js';
import { isMeshError } from '../../core/errors.js';
import { APPLICATION_CREDENTIAL_KIND, credentialHash } from '../../core/kyma/index.js';
import { defaultResource } from '../../core/resources/index.js';
import { applicationLifecycle } from '../../core/resources/application/conditions.js';
import { applicationMappingLifecycle } from '../../core/resources/applicationmapping/conditions.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';
import type { Resource } from '../../core/resources/object.js';
import type { ResourceStore } from '../../store/contracts.js';
import { isReady } from './broker.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import type { ReconcileHook } from './hooks.js';
import { APPLICATION_BROKER } from '../../core/resources/applicationmapping/types.js';

export interface ApplicationContext {
  readonly cache: ResourceCache;
  readonly dataPlane: DataPlane;
  readonly resources: ResourceStore;
  /** Base URL of the gateway, e.g. http://127.0.0.1:8090; status URLs are left out without it. */
  readonly gatewayUrl: string | undefined;
  readonly now: string;
}

/** Status of an Application: Ready, and where it sends its events. */
export function reconcileApplication(
  ctx: ApplicationContext,
  application: Resource,
): Record<string, unknown> {
  const name = application.metadata.name;
  const status: Record<string, unknown> = { observedGeneration: application.metadata.generation };
  if (ctx.gatewayUrl !== undefined) {
    const base = `${ctx.gatewayUrl}/${encodeURIComponent(name)}`;
    status['gatewayUrl'] = base;
    status['eventsUrl'] = `${base}/events`;
  }
  const lifecycle = applicationLifecycle(application.status?.conditions, ctx.now);
  ctx.dataPlane.setApplicationRegistered(name, true);
  lifecycle.markReady();
  return { ...status, conditions: lifecycle.conditions };
}

/** Binds a mapping's application to its namespace (creating the `default` Broker if needed) and derives its status. */
export async function reconcileApplicationMapping(
  ctx: ApplicationContext,
  mapping: Resource,
): Promise<Record<string, unknown>> {
  const application = mapping.metadata.name;
  const namespace = namespaceOrDefault(mapping.metadata.namespace);
  const status: Record<string, unknown> = { observedGeneration: mapping.metadata.generation };
  const lifecycle = applicationMappingLifecycle(mapping.status?.conditions, ctx.now);
  const finish = (mark: () => void): Record<string, unknown> => {
    mark();
    return { ...status, conditions: lifecycle.conditions };
  };

  if (ctx.cache.get('Application', undefined, application) === undefined) {
    ctx.dataPlane.unbindApplication(application, namespace);
    return finish(() => lifecycle.markApplicationNotFound(application));
  }
  await ensureDefaultBroker(ctx, namespace);
  // The mapping or the application may have been deleted while the broker was being created; their delete
  // handlers have unbound already, and binding now would undo that.
  const current = ctx.cache.get('ApplicationMapping', namespace, application);
  if (
    current?.metadata.uid !== mapping.metadata.uid ||
    !ctx.cache.get('Application', undefined, application)
  ) {
    return finish(lifecycle.markDeleted);
  }
  ctx.dataPlane.bindApplication(application, namespace);
  status['broker'] = APPLICATION_BROKER;
  const broker = ctx.cache.get('Broker', namespace, APPLICATION_BROKER);
  if (!isReady(broker)) {
    const why = broker?.status?.conditions?.find((c) => c.type === 'Ready')?.message;
    return finish(() => lifecycle.markBrokerNotReady(APPLICATION_BROKER, why));
  }
  return finish(lifecycle.markBound);
}

/** Hands a credential's digest to the gateway while its Application exists; revokes it otherwise. */
export function reconcileApplicationCredential(ctx: ApplicationContext, credential: Resource): void {
  const name = credential.metadata.name;
  const exists = ctx.cache.get('Application', undefined, name) !== undefined;
  ctx.dataPlane.setApplicationTokenHash(name, exists ? credentialHash(credential) : undefined);
}

/**
 * An Application was deleted: its events stop at once (every binding and its token go), and its credential
 * is deleted, so an Application created again under the same name needs a new token.
 */
export async function applicationDeleted(ctx: ApplicationContext, application: Resource): Promise<void> {
  const name = application.metadata.name;
  ctx.dataPlane.setApplicationTokenHash(name, undefined);
  ctx.dataPlane.setApplicationRegistered(name, false);
  for (const mapping of ctx.cache.list('ApplicationMapping')) {
    if (mapping.metadata.name === name) {
      ctx.dataPlane.unbindApplication(name, namespaceOrDefault(mapping.metadata.namespace));
    }
  }
  await ctx.resources.delete({ kind: APPLICATION_CREDENTIAL_KIND, name });
}

/** A mapping was deleted: the application's events stop reaching that namespace at once. */
export function applicationMappingDeleted(
  ctx: Pick<ApplicationContext, 'dataPlane'>,
  mapping: Resource,
): void {
  ctx.dataPlane.unbindApplication(mapping.metadata.name, namespaceOrDefault(mapping.metadata.namespace));
}

/**
 * Creates the namespace's `default` Broker when it does not exist, with the defaults and metadata the API
 * gives a created object. Kyma's namespaces got their default broker the same way, from the binding.
 */
export async function ensureDefaultBroker(
  ctx: Pick<ApplicationContext, 'cache' | 'resources' | 'now'>,
  namespace: string,
): Promise<void> {
  if (ctx.cache.get('Broker', namespace, APPLICATION_BROKER) !== undefined) return;
  if ((await ctx.resources.get({ kind: 'Broker', namespace, name: APPLICATION_BROKER })) !== undefined)
    return;
  const broker = defaultResource({
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: { name: APPLICATION_BROKER, namespace },
    spec: {},
  });
  try {
    await ctx.resources.create({
      ...broker,
      metadata: { ...broker.metadata, uid: newUid(), generation: 1, creationTimestamp: ctx.now },
    });
  } catch (error) {
    if (!isMeshError(error) || error.code !== 'MESH_RESOURCE_EXISTS') throw error;
  }
}

/** An Application's status is its own; deleting it ends its access and deletes its credential. */
export const applicationHook: ReconcileHook = {
  reconcile: (ctx, application) => ({ status: reconcileApplication(ctx, application) }),
  deleted: applicationDeleted,
};

/** A mapping depends on its Application and on its namespace's `default` Broker. */
export const applicationMappingHook: ReconcileHook = {
  reconcile: async (ctx, mapping) => ({ status: await reconcileApplicationMapping(ctx, mapping) }),
  watches: {
    Application: (cache, application) =>
      cache.list('ApplicationMapping').filter((m) => m.metadata.name === application.metadata.name),
    Broker: (cache, broker) =>
      broker.metadata.name === APPLICATION_BROKER
        ? cache.list('ApplicationMapping', broker.metadata.namespace)
        : [],
  },
  deleted: applicationMappingDeleted,
};

/** A credential (internal: no status) reaches the gateway only while its Application exists. */
export const applicationCredentialHook: ReconcileHook = {
  reconcile: (ctx, credential) => {
    reconcileApplicationCredential(ctx, credential);
    return {};
  },
  watches: {
    Application: (cache, application) => {
      const credential = cache.get(APPLICATION_CREDENTIAL_KIND, undefined, application.metadata.name);
      return credential === undefined ? [] : [credential];
    },
  },
  deleted: (ctx, credential) => ctx.dataPlane.setApplicationTokenHash(credential.metadata.name, undefined),
};
