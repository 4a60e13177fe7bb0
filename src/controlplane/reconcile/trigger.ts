/**
 * Derives a Trigger's status (BrokerReady, SubscriberResolved, DeadLetterSinkResolved, Ready) and wires it
 * into the data plane when every dependency is ready; a Trigger may exist before its Broker.
 */
import type { DeliverySpec } from '../../core/delivery/index.js';
import type { TriggerFilterSpec } from '../../core/filters/index.js';
import { brokerDelivery, DEFAULT_BROKER, triggerSpec, type TriggerSpec } from '../../core/resources/index.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';
import { triggerLifecycle, type TriggerLifecycle } from '../../core/resources/trigger/conditions.js';
import type { Condition, Resource } from '../../core/resources/object.js';
import { brokerAddress, isReady } from './broker.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import { resolveDestination, type Resolution } from './destinations.js';
import type { ReconcileHook } from './hooks.js';
import { checkClusterLocal } from './service-lookup.js';

export interface TriggerContext {
  readonly cache: ResourceCache;
  readonly dataPlane: DataPlane;
  readonly ingressUrl: string;
  readonly now: string;
}

/** What the steps of one reconcile share: the trigger, its typed spec and the conditions being marked. */
interface TriggerReconcile {
  readonly ctx: TriggerContext;
  readonly trigger: Resource;
  readonly namespace: string;
  readonly spec: TriggerSpec;
  readonly lifecycle: TriggerLifecycle;
  readonly status: Record<string, unknown>;
  /** Set when a destination's address did not resolve: looked up again later, since no change would say. */
  retry: boolean;
}

/**
 * The trigger's status, in named steps as Knative's trigger reconciler takes them: its broker, its
 * subscriber, its dead-letter sink, then the data plane (wired only when all three are ready), then pause.
 */
export async function reconcileTrigger(
  ctx: TriggerContext,
  trigger: Resource,
): Promise<{ status: Record<string, unknown>; retry: boolean }> {
  const run: TriggerReconcile = {
    ctx,
    trigger,
    namespace: namespaceOrDefault(trigger.metadata.namespace),
    spec: triggerSpec(trigger),
    lifecycle: triggerLifecycle(trigger.status?.conditions, ctx.now),
    status: { observedGeneration: trigger.metadata.generation },
    retry: false,
  };
  // Whether to wire the trigger depends on its dependencies only: a paused one stays wired (and queues).
  run.lifecycle.markActive();
  const broker = checkBroker(run);
  const subscriberUri = await resolveSubscriber(run);
  const delivery = chooseDelivery(run, broker);
  const deadLetterUri = await resolveDeadLetterSink(run, delivery);
  await wireDataPlane(run, subscriberUri, deadLetterUri, delivery);
  if (run.spec.paused) run.lifecycle.markPaused();
  // Object.assign: a spread adding a key (conditions) costs about 1 us in V8 (reconciler.ts).
  return {
    status: Object.assign({}, run.status, { conditions: run.lifecycle.conditions }),
    retry: run.retry,
  };
}

/** BrokerReady: the broker exists and is Ready. */
function checkBroker({ ctx, namespace, spec, lifecycle }: TriggerReconcile): Resource | undefined {
  const broker = ctx.cache.get('Broker', namespace, spec.broker);
  if (broker === undefined) lifecycle.markBrokerDoesNotExist(spec.broker);
  else if (!isReady(broker))
    lifecycle.markBrokerNotReady(spec.broker, readyMessage(broker.status?.conditions));
  else lifecycle.markBrokerReady();
  return broker;
}

/** SubscriberResolved, and `status.subscriberUri`. */
async function resolveSubscriber(run: TriggerReconcile): Promise<string | undefined> {
  const subscriber = await resolve(run, run.spec.subscriber);
  if (!('uri' in subscriber)) {
    run.lifecycle.markSubscriberFailed(subscriber.reason, subscriber.message);
    return undefined;
  }
  run.lifecycle.markSubscriberResolved();
  run.status['subscriberUri'] = subscriber.uri;
  return subscriber.uri;
}

/** A Trigger's delivery replaces the Broker's (or config-br-defaults'), with no field merge (ARCHITECTURE 3). */
function chooseDelivery(
  { ctx, spec }: TriggerReconcile,
  broker: Resource | undefined,
): DeliverySpec | undefined {
  if (spec.delivery !== undefined) return spec.delivery;
  return broker === undefined
    ? undefined
    : brokerDelivery(broker, (ns, name) => ctx.cache.get('ConfigMap', ns, name));
}

/** DeadLetterSinkResolved (True when none is set), and `status.deadLetterSinkUri`. */
async function resolveDeadLetterSink(
  run: TriggerReconcile,
  delivery: DeliverySpec | undefined,
): Promise<string | undefined> {
  if (delivery?.deadLetterSink === undefined) {
    run.lifecycle.markDeadLetterSinkNotConfigured();
    return undefined;
  }
  const sink = await resolve(run, delivery.deadLetterSink);
  if (!('uri' in sink)) {
    run.lifecycle.markDeadLetterSinkFailed(sink.reason, sink.message);
    return undefined;
  }
  run.lifecycle.markDeadLetterSinkResolved();
  run.status['deadLetterSinkUri'] = sink.uri;
  return sink.uri;
}

/** Delivers while every dependency is ready; otherwise stops, keeping pending deliveries for later. */
async function wireDataPlane(
  { ctx, trigger, namespace, spec, lifecycle }: TriggerReconcile,
  subscriberUri: string | undefined,
  deadLetterUri: string | undefined,
  delivery: DeliverySpec | undefined,
): Promise<void> {
  if (!lifecycle.isReady() || subscriberUri === undefined) {
    if (trigger.metadata.uid !== undefined)
      await ctx.dataPlane.removeTrigger(trigger.metadata.uid, { drop: false });
    return;
  }
  try {
    await ctx.dataPlane.ensureTrigger({
      uid: trigger.metadata.uid ?? `${namespace}/${trigger.metadata.name}`,
      namespace,
      name: trigger.metadata.name,
      broker: spec.broker,
      filter: filterOf(spec),
      subscriberUri,
      deadLetterUri,
      subscriberCaCerts: spec.subscriber.CACerts,
      deadLetterCaCerts: delivery?.deadLetterSink?.CACerts,
      delivery,
      maxInflight: spec.maxInflight,
      deliveryOrder: spec.deliveryOrder,
      paused: spec.paused,
    });
  } catch (error) {
    lifecycle.markDataPlaneFailed(error instanceof Error ? error.message : String(error));
  }
}

/** The trigger's filters as the data plane takes them, without spreads (about 1 us a key added, reconciler.ts). */
function filterOf(spec: TriggerSpec): TriggerFilterSpec {
  const filter: TriggerFilterSpec = {};
  if (spec.filter) filter.filter = spec.filter;
  if (spec.filters) filter.filters = spec.filters;
  return filter;
}

/**
 * A destination's URL, by the rules of destinations.ts; a cluster-local address must also reach something (a
 * hosted Function, or a name that resolves), else it is not resolved and the trigger is looked at again later.
 */
async function resolve(run: TriggerReconcile, destination: TriggerSpec['subscriber']): Promise<Resolution> {
  const { ctx, namespace } = run;
  const brokerUrl = (ns: string, name: string): string | undefined => {
    const target = ctx.cache.get('Broker', ns, name);
    return isReady(target) ? brokerAddress(ctx.ingressUrl, ns, name) : undefined;
  };
  const functionExists = (ns: string, name: string): boolean =>
    ctx.cache.get('Function', ns, name) !== undefined;
  const resolution = resolveDestination(destination, namespace, brokerUrl, functionExists);
  if (!('uri' in resolution)) return resolution;
  const check = await checkClusterLocal(resolution.uri, functionExists);
  if (check.found) return resolution;
  run.retry = true;
  return check;
}

function readyMessage(conditions: readonly Condition[] | undefined): string | undefined {
  return conditions?.find((c) => c.type === 'Ready')?.message;
}

/** A trigger's status depends on its broker; deleting it drops its pending deliveries. */
export const triggerHook: ReconcileHook = {
  reconcile: (ctx, trigger) => reconcileTrigger(ctx, trigger),
  watches: {
    Broker: (cache, broker) =>
      cache
        .list('Trigger', broker.metadata.namespace)
        .filter((t) => (t.spec?.['broker'] ?? DEFAULT_BROKER) === broker.metadata.name),
    // A subscriber or dead-letter sink may name a Function (or the Service of the same name).
    Function: (cache, fn) => cache.list('Trigger', fn.metadata.namespace),
  },
  deleted: (ctx, trigger) =>
    trigger.metadata.uid === undefined
      ? undefined
      : ctx.dataPlane.removeTrigger(trigger.metadata.uid, { drop: true }),
};
