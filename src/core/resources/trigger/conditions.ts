/**
 * Trigger conditions (control-plane.md "Trigger Lifecycle"). `BrokerReady`: the broker exists and is Ready
 * (False with reason `BrokerDoesNotExist` before it exists). `SubscriberResolved`: `spec.subscriber`
 * resolved to `status.subscriberUri`. `DeadLetterSinkResolved`: the dead-letter sink, when one is set,
 * resolved to `status.deadLetterSinkUri` (True when none is set). `DeliveryActive`, present only while the
 * trigger is paused (docs/decisions/trigger-pause.md). `Ready` is derived from them.
 */
import { conditionSet, manageConditions, READY } from '../conditions.js';
import type { Condition } from '../object.js';
import { PAUSED_ANNOTATION } from './types.js';

export const TriggerConditions = {
  Ready: READY,
  BrokerReady: 'BrokerReady',
  SubscriberResolved: 'SubscriberResolved',
  DeadLetterSinkResolved: 'DeadLetterSinkResolved',
  DeliveryActive: 'DeliveryActive',
} as const;

/** The reason ARCHITECTURE 2.4 names for a trigger whose broker does not exist yet. */
export const BROKER_DOES_NOT_EXIST = 'BrokerDoesNotExist';

export const triggerConditionSet = conditionSet(
  [
    TriggerConditions.BrokerReady,
    TriggerConditions.SubscriberResolved,
    TriggerConditions.DeadLetterSinkResolved,
  ],
  [TriggerConditions.DeliveryActive],
);

/** The marks a trigger's reconcile makes, each with its reason (Knative's trigger_lifecycle.go). */
export function triggerLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(triggerConditionSet, conditions, now);
  const { BrokerReady, SubscriberResolved, DeadLetterSinkResolved, DeliveryActive } = TriggerConditions;
  return {
    markBrokerReady: () => m.markTrue(BrokerReady, 'BrokerReady'),
    markBrokerDoesNotExist: (broker: string) =>
      m.markFalse(BrokerReady, BROKER_DOES_NOT_EXIST, `Broker "${broker}" does not exist`),
    markBrokerNotReady: (broker: string, why: string | undefined) =>
      m.markFalse(
        BrokerReady,
        'BrokerNotReady',
        `Broker "${broker}" is not ready: ${why ?? 'not reconciled yet'}`,
      ),
    /** The data plane refused the trigger; the broker it would deliver from is not usable for it. */
    markDataPlaneFailed: (message: string) => m.markFalse(BrokerReady, 'DataPlaneError', message),
    markSubscriberResolved: () => m.markTrue(SubscriberResolved, 'SubscriberResolved'),
    markSubscriberFailed: (reason: string, message: string) =>
      m.markFalse(SubscriberResolved, reason, message),
    markDeadLetterSinkNotConfigured: () =>
      m.markTrue(DeadLetterSinkResolved, 'DeadLetterSinkNotConfigured', 'no dead-letter sink is configured'),
    markDeadLetterSinkResolved: () => m.markTrue(DeadLetterSinkResolved, 'DeadLetterSinkResolved'),
    markDeadLetterSinkFailed: (reason: string, message: string) =>
      m.markFalse(DeadLetterSinkResolved, reason, message),
    markPaused: () =>
      m.markFalse(
        DeliveryActive,
        'Paused',
        `delivery is paused by the ${PAUSED_ANNOTATION} annotation: matching events are kept and delivered on resume`,
      ),
    markActive: () => m.clear(DeliveryActive),
    isReady: () => m.ready?.status === 'True',
    get conditions() {
      return m.conditions;
    },
  };
}

export type TriggerLifecycle = ReturnType<typeof triggerLifecycle>;
