/**
 * Derives a Trigger's status (BrokerReady, SubscriberResolved, DeadLetterSinkResolved, Ready) and wires it
 * into the data plane when every dependency is ready; a Trigger may exist before its Broker.
 */
import type { DeliverySpec, DestinationSpec } from '../../core/delivery/index.js';
import type { TriggerFilterSpec } from '../../core/filters/index.js';
import {
  brokerDelivery,
  DEFAULT_BROKER,
  deliveryOrderOf,
  readyFrom,
  setCondition,
} from '../../core/resources/index.js';
import { PAUSED_ANNOTATION } from '../../core/resources/trigger/types.js';
import type { Condition, Resource } from '../../core/resources/object.js';
import { brokerAddress, isReady } from './broker.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import { resolveDestination } from './destinations.js';
import type { ReconcileHook } from './hooks.js';

export const MAX_INFLIGHT_ANNOTATION = 'eventing.cemesh.dev/max-inflight';
/** Present only while paused: False with reason `Paused`, which makes Ready False with that reason. */
const DELIVERY_ACTIVE = 'DeliveryActive';
const DEFAULT_MAX_INFLIGHT = 100;

export interface TriggerContext {
  readonly cache: ResourceCache;
  readonly dataPlane: DataPlane;
  readonly ingressUrl: string;
  readonly now: string;
}

export async function reconcileTrigger(
  ctx: TriggerContext,
  trigger: Resource,
): Promise<Record<string, unknown>> {
  const namespace = trigger.metadata.namespace ?? 'default';
  const spec = (trigger.spec ?? {}) as {
    broker?: string;
    subscriber?: DestinationSpec;
    delivery?: DeliverySpec;
  } & TriggerFilterSpec;
  const brokerName = spec.broker ?? 'default';
  const broker = ctx.cache.get('Broker', namespace, brokerName);
  const status: Record<string, unknown> = { observedGeneration: trigger.metadata.generation };
  const paused = trigger.metadata.annotations?.[PAUSED_ANNOTATION] === 'true';
  // Whether to wire the trigger depends on its dependencies only: a paused one stays wired (and queues).
  let conditions: Condition[] | undefined = trigger.status?.conditions?.filter(
    (c) => c.type !== DELIVERY_ACTIVE,
  );
  const set = (type: string, ok: boolean, reason: string, message?: string): void => {
    conditions = setCondition(
      conditions,
      { type, status: ok ? 'True' : 'False', reason, ...(message ? { message } : {}) },
      ctx.now,
    );
  };

  if (!broker) set('BrokerReady', false, 'BrokerDoesNotExist', `Broker "${brokerName}" does not exist`);
  else if (!isReady(broker)) {
    const ready = broker.status?.conditions?.find((c) => c.type === 'Ready');
    set(
      'BrokerReady',
      false,
      'BrokerNotReady',
      `Broker "${brokerName}" is not ready: ${ready?.message ?? 'not reconciled yet'}`,
    );
  } else set('BrokerReady', true, 'BrokerReady');

  const brokerUrl = (ns: string, name: string): string | undefined => {
    const target = ctx.cache.get('Broker', ns, name);
    return isReady(target) ? brokerAddress(ctx.ingressUrl, ns, name) : undefined;
  };
  const functionExists = (ns: string, name: string): boolean =>
    ctx.cache.get('Function', ns, name) !== undefined;
  const subscriber = resolveDestination(spec.subscriber ?? {}, namespace, brokerUrl, functionExists);
  if ('uri' in subscriber) {
    set('SubscriberResolved', true, 'SubscriberResolved');
    status['subscriberUri'] = subscriber.uri;
  } else set('SubscriberResolved', false, subscriber.reason, subscriber.message);

  // A Trigger's delivery replaces the Broker's (or config-br-defaults'), with no field merge (ARCHITECTURE 3).
  const delivery =
    spec.delivery ??
    (broker === undefined
      ? undefined
      : brokerDelivery(broker, (ns, name) => ctx.cache.get('ConfigMap', ns, name)));
  let deadLetterUri: string | undefined;
  if (!delivery?.deadLetterSink)
    set('DeadLetterSinkResolved', true, 'DeadLetterSinkNotConfigured', 'no dead-letter sink is configured');
  else {
    const sink = resolveDestination(delivery.deadLetterSink, namespace, brokerUrl, functionExists);
    if ('uri' in sink) {
      deadLetterUri = sink.uri;
      status['deadLetterSinkUri'] = sink.uri;
      set('DeadLetterSinkResolved', true, 'DeadLetterSinkResolved');
    } else set('DeadLetterSinkResolved', false, sink.reason, sink.message);
  }

  const dependents = (conditions ?? []).filter((c) => c.type !== 'Ready');
  const ready = readyFrom(dependents);
  if (ready.status === 'True' && 'uri' in subscriber) {
    try {
      await ctx.dataPlane.ensureTrigger({
        uid: trigger.metadata.uid ?? `${namespace}/${trigger.metadata.name}`,
        namespace,
        name: trigger.metadata.name,
        broker: brokerName,
        filter: {
          ...(spec.filter ? { filter: spec.filter } : {}),
          ...(spec.filters ? { filters: spec.filters } : {}),
        },
        subscriberUri: subscriber.uri,
        deadLetterUri,
        delivery,
        maxInflight: maxInflightOf(trigger),
        deliveryOrder: deliveryOrderOf(trigger.metadata),
        paused,
      });
    } catch (error) {
      set('BrokerReady', false, 'DataPlaneError', error instanceof Error ? error.message : String(error));
    }
  } else if (trigger.metadata.uid !== undefined) {
    // Not ready: stop delivering, but keep the pending deliveries for when it is ready again.
    await ctx.dataPlane.removeTrigger(trigger.metadata.uid, { drop: false });
  }
  if (paused) {
    set(
      DELIVERY_ACTIVE,
      false,
      'Paused',
      `delivery is paused by the ${PAUSED_ANNOTATION} annotation: matching events are kept and delivered on resume`,
    );
  }
  const finalDependents = (conditions ?? []).filter((c) => c.type !== 'Ready');
  conditions = setCondition(conditions, { ...readyFrom(finalDependents), type: 'Ready' }, ctx.now);
  status['conditions'] = conditions;
  return status;
}

function maxInflightOf(trigger: Resource): number {
  const value = Number(trigger.metadata.annotations?.[MAX_INFLIGHT_ANNOTATION]);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_INFLIGHT;
}

/** A trigger's status depends on its broker; deleting it drops its pending deliveries. */
export const triggerHook: ReconcileHook = {
  reconcile: async (ctx, trigger) => ({ status: await reconcileTrigger(ctx, trigger) }),
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
