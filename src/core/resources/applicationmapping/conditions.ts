/**
 * An ApplicationMapping has only `Ready`: True when the Application it names exists and the namespace's
 * `default` broker can take its events; False with a reason (e.g. the application does not exist) otherwise.
 */
import { conditionSet, READY } from '../conditions.js';

export const ApplicationMappingConditions = { Ready: READY } as const;

export const applicationMappingConditionSet = conditionSet([]);
