/**
 * Subscription conditions as Kyma's NATS backend shows them (eventing-manager `v1alpha2/condition.go`), plus
 * cemesh's `Ready` derived from them, mirrored in Kyma's `status.ready`:
 * - `Subscription spec valid`: the types clean to usable Kyma types and the sink resolves (a cluster-local
 *   URL of the namespace's hosted Function, or any other URL);
 * - `Subscription active`: its routes are wired into the namespace's `default` broker.
 */
import { conditionSet, manageConditions } from '../conditions.js';
import type { Condition } from '../object.js';

export const SPEC_VALID = 'Subscription spec valid';
export const SUBSCRIPTION_ACTIVE = 'Subscription active';

export const subscriptionConditionSet = conditionSet([SPEC_VALID, SUBSCRIPTION_ACTIVE]);

/** The marks a Subscription's reconcile makes, with Kyma's reasons where Kyma has one. */
export function subscriptionLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(subscriptionConditionSet, conditions, now);
  return {
    markSpecValid: () => m.markTrue(SPEC_VALID, 'Subscription spec has no validation errors'),
    markSpecInvalid: (message: string) =>
      m.markFalse(SPEC_VALID, 'Subscription spec has validation errors', message),
    markActive: (broker: string) =>
      m.markTrue(SUBSCRIPTION_ACTIVE, 'Subscription active', `routed through Broker "${broker}"`),
    markBrokerNotReady: (broker: string, why: string | undefined) =>
      m.markFalse(
        SUBSCRIPTION_ACTIVE,
        'Subscription not active',
        `Broker "${broker}" is not ready: ${why ?? 'not reconciled yet'}`,
      ),
    markWaitingForSpec: () =>
      m.markFalse(SUBSCRIPTION_ACTIVE, 'Subscription not active', 'the spec is not valid'),
    markDataPlaneFailed: (message: string) =>
      m.markFalse(SUBSCRIPTION_ACTIVE, 'Subscription not active', message),
    isReady: () => m.ready?.status === 'True',
    get conditions() {
      return m.conditions;
    },
  };
}

export type SubscriptionLifecycle = ReturnType<typeof subscriptionLifecycle>;
