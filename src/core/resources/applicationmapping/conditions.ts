/**
 * An ApplicationMapping has only `Ready`: True when the Application it names exists and the namespace's
 * `default` broker can take its events; False with a reason (e.g. the application does not exist) otherwise.
 */
import { conditionSet, manageConditions, READY } from '../conditions.js';
import type { Condition } from '../object.js';

export const ApplicationMappingConditions = { Ready: READY } as const;

export const applicationMappingConditionSet = conditionSet([]);

/** The marks an ApplicationMapping's reconcile makes, each with its reason. */
export function applicationMappingLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(applicationMappingConditionSet, conditions, now);
  return {
    markBound: () => m.markTrue(READY),
    markApplicationNotFound: (application: string) =>
      m.markFalse(READY, 'ApplicationNotFound', `Application "${application}" does not exist`),
    markDeleted: () => m.markFalse(READY, 'Deleted', 'the mapping or its application was deleted'),
    markBrokerNotReady: (broker: string, why: string | undefined) =>
      m.markFalse(READY, 'BrokerNotReady', `Broker "${broker}" is not ready: ${why ?? 'not reconciled yet'}`),
    get conditions() {
      return m.conditions;
    },
  };
}
