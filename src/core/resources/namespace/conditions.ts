/**
 * A Namespace has only `Ready`: True once cemesh has set up what the namespace needs (its persistence
 * resolves, the brokers it holds can be opened), False with a reason otherwise.
 */
import { conditionSet, READY } from '../conditions.js';

export const NamespaceConditions = { Ready: READY } as const;

export const namespaceConditionSet = conditionSet([]);
