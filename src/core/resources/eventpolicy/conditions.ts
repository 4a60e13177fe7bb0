/**
 * EventPolicy conditions, as Knative's (eventpolicy_lifecycle.go): `SubjectsResolved` says whether every
 * `spec.from` entry became a subject; `Ready` is derived from it. Knative's `AuthenticationEnabled` is
 * always true here (sender tokens need no feature flag), so cemesh does not report it.
 */
import { conditionSet, manageConditions, READY } from '../conditions.js';
import type { Condition } from '../object.js';

export const EventPolicyConditions = { Ready: READY, SubjectsResolved: 'SubjectsResolved' } as const;

export const eventPolicyConditionSet = conditionSet([EventPolicyConditions.SubjectsResolved]);

export function eventPolicyLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(eventPolicyConditionSet, conditions, now);
  return {
    markSubjectsResolved: () => m.markTrue(EventPolicyConditions.SubjectsResolved),
    get conditions() {
      return m.conditions;
    },
  };
}
