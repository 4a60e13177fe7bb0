/**
 * A ConfigMap has only `Ready`: True once the configuration it holds is in effect (for instance the broker
 * defaults of `config-br-defaults`), False with a reason when it cannot be used.
 */
import { conditionSet, READY } from '../conditions.js';

export const ConfigMapConditions = { Ready: READY } as const;

export const configMapConditionSet = conditionSet([]);
