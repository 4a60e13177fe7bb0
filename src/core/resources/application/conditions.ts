/**
 * An Application has only `Ready`: True once the gateway accepts its events (ARCHITECTURE 2.3).
 */
import { conditionSet, manageConditions, READY } from '../conditions.js';
import type { Condition } from '../object.js';

export const ApplicationConditions = { Ready: READY } as const;

export const applicationConditionSet = conditionSet([]);

/** The marks an Application's reconcile makes. */
export function applicationLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(applicationConditionSet, conditions, now);
  return {
    markReady: () => m.markTrue(READY),
    get conditions() {
      return m.conditions;
    },
  };
}
