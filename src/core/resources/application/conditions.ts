/**
 * An Application has only `Ready`: True once the gateway accepts its events (ARCHITECTURE 2.3).
 */
import { conditionSet, READY } from '../conditions.js';

export const ApplicationConditions = { Ready: READY } as const;

export const applicationConditionSet = conditionSet([]);
