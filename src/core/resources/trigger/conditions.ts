/**
 * Trigger conditions (control-plane.md "Trigger Lifecycle"). `BrokerReady`: the broker exists and is Ready
 * (False with reason `BrokerDoesNotExist` before it exists). `SubscriberResolved`: `spec.subscriber`
 * resolved to `status.subscriberUri`. `DeadLetterSinkResolved`: the dead-letter sink, when one is set,
 * resolved to `status.deadLetterSinkUri` (True when none is set). `Ready` is derived from all three.
 */
import { conditionSet, READY } from '../conditions.js';

export const TriggerConditions = {
  Ready: READY,
  BrokerReady: 'BrokerReady',
  SubscriberResolved: 'SubscriberResolved',
  DeadLetterSinkResolved: 'DeadLetterSinkResolved',
} as const;

/** The reason ARCHITECTURE 2.4 names for a trigger whose broker does not exist yet. */
export const BROKER_DOES_NOT_EXIST = 'BrokerDoesNotExist';

export const triggerConditionSet = conditionSet([
  TriggerConditions.BrokerReady,
  TriggerConditions.SubscriberResolved,
  TriggerConditions.DeadLetterSinkResolved,
]);
