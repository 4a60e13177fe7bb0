/**
 * Trigger conditions (control-plane.md "Trigger Lifecycle"). `BrokerReady`: the broker exists and is Ready
 * (False with reason `BrokerDoesNotExist` before it exists). `SubscriberResolved`: `spec.subscriber`
 * resolved to `status.subscriberUri`. `DeadLetterSinkResolved`: the dead-letter sink, when one is set,
 * resolved to `status.deadLetterSinkUri` (True when none is set). `DeliveryActive`, present only while the
 * trigger is paused (docs/decisions/trigger-pause.md). `Ready` is derived from them.
 */
import { conditionSet, manageConditions, READY, type ConditionManager } from '../conditions.js';
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

/**
 * The marks a trigger's reconcile makes, each with its reason (Knative's trigger_lifecycle.go). A class, where
 * the other kinds return an object of closures: triggers are reconciled by the ten thousand, and building twelve
 * closures for every reconcile cost more than the marks (a new trigger's conditions took 4.8-6.8 us with them
 * and 1.6-1.8 us without, compiled, in a loop like bench/conditions.ts).
 */
export class TriggerLifecycle {
  private readonly m: ConditionManager;

  constructor(conditions: readonly Condition[] | undefined, now: string) {
    this.m = manageConditions(triggerConditionSet, conditions, now);
  }

  markBrokerReady(): void {
    this.m.markTrue(TriggerConditions.BrokerReady, 'BrokerReady');
  }

  markBrokerDoesNotExist(broker: string): void {
    this.m.markFalse(
      TriggerConditions.BrokerReady,
      BROKER_DOES_NOT_EXIST,
      `Broker "${broker}" does not exist`,
    );
  }

  markBrokerNotReady(broker: string, why: string | undefined): void {
    this.m.markFalse(
      TriggerConditions.BrokerReady,
      'BrokerNotReady',
      `Broker "${broker}" is not ready: ${why ?? 'not reconciled yet'}`,
    );
  }

  /** The data plane refused the trigger; the broker it would deliver from is not usable for it. */
  markDataPlaneFailed(message: string): void {
    this.m.markFalse(TriggerConditions.BrokerReady, 'DataPlaneError', message);
  }

  markSubscriberResolved(): void {
    this.m.markTrue(TriggerConditions.SubscriberResolved, 'SubscriberResolved');
  }

  markSubscriberFailed(reason: string, message: string): void {
    this.m.markFalse(TriggerConditions.SubscriberResolved, reason, message);
  }

  markDeadLetterSinkNotConfigured(): void {
    this.m.markTrue(
      TriggerConditions.DeadLetterSinkResolved,
      'DeadLetterSinkNotConfigured',
      'no dead-letter sink is configured',
    );
  }

  markDeadLetterSinkResolved(): void {
    this.m.markTrue(TriggerConditions.DeadLetterSinkResolved, 'DeadLetterSinkResolved');
  }

  markDeadLetterSinkFailed(reason: string, message: string): void {
    this.m.markFalse(TriggerConditions.DeadLetterSinkResolved, reason, message);
  }

  markPaused(): void {
    this.m.markFalse(
      TriggerConditions.DeliveryActive,
      'Paused',
      `delivery is paused by the ${PAUSED_ANNOTATION} annotation: matching events are kept and delivered on resume`,
    );
  }

  markActive(): void {
    this.m.clear(TriggerConditions.DeliveryActive);
  }

  isReady(): boolean {
    return this.m.ready?.status === 'True';
  }

  get conditions(): Condition[] {
    return this.m.conditions;
  }
}

export function triggerLifecycle(
  conditions: readonly Condition[] | undefined,
  now: string,
): TriggerLifecycle {
  return new TriggerLifecycle(conditions, now);
}
