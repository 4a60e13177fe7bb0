/**
 * A Kyma Subscription compiles to trigger routes on its namespace's `default` broker (docs/kyma.md): one
 * route per clean type, as Kyma's NATS backend makes one consumer per type, each an exact filter in the
 * broker's routing index and the same delivery a Trigger gets. With `standard` matching a route takes the
 * application's events of the subscribed type in any form the gateway stores them (a CloudEvent of that
 * type, the legacy API's `event-type` + `eventtypeversion`, or the clean type itself) and hands them to the
 * sink with the clean type; with `exact` it takes the type as written.
 */
import type { DeliverySpec } from '../../core/delivery/index.js';
import { brokerDelivery } from '../../core/resources/index.js';
import { APPLICATION_BROKER } from '../../core/resources/applicationmapping/types.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';
import type { Resource } from '../../core/resources/object.js';
import { subscriptionLifecycle } from '../../core/resources/subscription/conditions.js';
import {
  SUBSCRIPTION_NAME_HEADER,
  subscriptionSpec,
  type SubscriptionSpec,
} from '../../core/resources/subscription/types.js';
import { subscriptionRoutes, type Route } from '../../core/resources/subscription/routes.js';
import type { TriggerWiring } from '../../core/wiring.js';
import { ensureDefaultBroker } from './application.js';
import { isReady } from './broker.js';
import type { ReconcileContext, ReconcileHook } from './hooks.js';

/** The id of a route's queue: stable across reconciles and restarts while the type is subscribed. */
function routeUid(subscription: Resource, cleanType: string): string {
  const { namespace, name, uid } = subscription.metadata;
  return `${uid ?? `${namespaceOrDefault(namespace)}/${name}`}/${cleanType}`;
}

/** The route ids the last status recorded (Kyma's `status.backend.types[].consumerName`). */
function recordedRoutes(subscription: Resource): string[] {
  const backend = subscription.status?.['backend'] as { types?: { consumerName?: unknown }[] } | undefined;
  return (backend?.types ?? []).flatMap((t) => (typeof t.consumerName === 'string' ? [t.consumerName] : []));
}

export async function reconcileSubscription(
  ctx: ReconcileContext,
  subscription: Resource,
): Promise<Record<string, unknown>> {
  const namespace = namespaceOrDefault(subscription.metadata.namespace);
  const spec = subscriptionSpec(subscription);
  const lifecycle = subscriptionLifecycle(subscription.status?.conditions, ctx.now);
  const previous = recordedRoutes(subscription);
  const compiled = subscriptionRoutes(spec, ctx.eventTypePrefix);
  const routes = 'routes' in compiled ? compiled.routes : [];
  const wanted = new Set(routes.map((r) => routeUid(subscription, r.cleanType)));
  // A type no longer subscribed: its queue goes with it, as Kyma deletes the type's consumer.
  for (const uid of previous) if (!wanted.has(uid)) await ctx.dataPlane.removeTrigger(uid, { drop: true });

  if ('problem' in compiled) lifecycle.markSpecInvalid(compiled.problem);
  else lifecycle.markSpecValid();
  await ensureDefaultBroker(ctx, namespace);
  const broker = ctx.cache.get('Broker', namespace, APPLICATION_BROKER);
  if ('problem' in compiled) lifecycle.markWaitingForSpec();
  else if (!isReady(broker)) {
    const why = broker?.status?.conditions?.find((c) => c.type === 'Ready')?.message;
    lifecycle.markBrokerNotReady(APPLICATION_BROKER, why);
  } else {
    try {
      const delivery = deliveryOf(ctx, spec, broker);
      for (const route of routes)
        await ctx.dataPlane.ensureTrigger(wiring(subscription, spec, route, delivery));
      lifecycle.markActive(APPLICATION_BROKER);
    } catch (error) {
      lifecycle.markDataPlaneFailed(error instanceof Error ? error.message : String(error));
    }
  }
  if (!lifecycle.isReady()) for (const uid of wanted) await ctx.dataPlane.removeTrigger(uid, { drop: false });
  return {
    observedGeneration: subscription.metadata.generation,
    ready: lifecycle.isReady(),
    types: routes.flatMap(({ originalTypes, cleanType }) =>
      originalTypes.map((originalType) => ({ originalType, cleanType })),
    ),
    backend: {
      broker: APPLICATION_BROKER,
      types: routes.flatMap((r) =>
        r.originalTypes.map((originalType) => ({
          originalType,
          consumerName: routeUid(subscription, r.cleanType),
        })),
      ),
    },
    conditions: lifecycle.conditions,
  };
}

/**
 * The broker's delivery (or config-br-defaults'), as a Trigger without its own gets; a Kyma 1.x
 * `push_request_timeout_ms` sets the attempt timeout on top of it.
 */
function deliveryOf(
  ctx: ReconcileContext,
  spec: SubscriptionSpec,
  broker: Resource | undefined,
): DeliverySpec | undefined {
  const base =
    broker === undefined
      ? undefined
      : brokerDelivery(broker, (ns, name) => ctx.cache.get('ConfigMap', ns, name));
  if (spec.pushTimeoutMs === undefined) return base;
  return { ...base, timeout: `PT${spec.pushTimeoutMs / 1000}S` };
}

function wiring(
  subscription: Resource,
  spec: SubscriptionSpec,
  route: Route,
  delivery: DeliverySpec | undefined,
): TriggerWiring {
  const headers = spec.includeNameHeader
    ? { [SUBSCRIPTION_NAME_HEADER]: subscription.metadata.name }
    : undefined;
  return {
    uid: routeUid(subscription, route.cleanType),
    namespace: namespaceOrDefault(subscription.metadata.namespace),
    name: subscription.metadata.name,
    broker: APPLICATION_BROKER,
    filter: route.filter,
    subscriberUri: spec.sink,
    deadLetterUri: undefined,
    delivery,
    maxInflight: spec.maxInFlight,
    deliveryOrder: 'unordered',
    paused: false,
    deliverAs: { type: route.cleanType, ...(headers === undefined ? {} : { headers }) },
  };
}

/** A Subscription depends on its namespace's `default` broker; deleting it drops its queues. */
export const subscriptionHook: ReconcileHook = {
  reconcile: async (ctx, subscription) => ({ status: await reconcileSubscription(ctx, subscription) }),
  watches: {
    Broker: (cache, broker) =>
      broker.metadata.name === APPLICATION_BROKER
        ? cache.list('Subscription', broker.metadata.namespace)
        : [],
  },
  deleted: async (ctx, subscription) => {
    const compiled = subscriptionRoutes(subscriptionSpec(subscription), ctx.eventTypePrefix);
    const current =
      'routes' in compiled ? compiled.routes.map((r) => routeUid(subscription, r.cleanType)) : [];
    for (const uid of new Set([...recordedRoutes(subscription), ...current]))
      await ctx.dataPlane.removeTrigger(uid, { drop: true });
  },
};
