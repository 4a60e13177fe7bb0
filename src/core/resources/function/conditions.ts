/**
 * Function conditions, as Kyma's Function shows them. `ConfigurationReady`: the spec is valid and its env
 * resolved (ConfigMap keys exist). `BuildReady`: the source is written and the npm dependencies installed.
 * `Running`: every replica serves (False in a crash loop or when the module does not load). cemesh also
 * derives `Ready` from the three, as for every kind.
 */
import { conditionSet } from '../conditions.js';
import { BUILD_READY, CONFIGURATION_READY, RUNNING } from './types.js';

export const functionConditionSet = conditionSet([CONFIGURATION_READY, BUILD_READY, RUNNING]);
