/**
 * Function conditions, as Kyma's Function shows them. `ConfigurationReady`: the spec is valid and its env
 * resolved (ConfigMap keys exist). `BuildReady`: the source is written and the npm dependencies installed.
 * `Running`: every replica serves (False in a crash loop or when the module does not load). cemesh also
 * derives `Ready` from the three, as for every kind.
 */
import { conditionSet, manageConditions, type ConditionUpdate } from '../conditions.js';
import type { Condition } from '../object.js';
import { BUILD_READY, CONFIGURATION_READY, RUNNING } from './types.js';

export const functionConditionSet = conditionSet([CONFIGURATION_READY, BUILD_READY, RUNNING]);

/** A state the function host reports for the build or the replicas. */
export type HostState = Pick<ConditionUpdate, 'status' | 'reason' | 'message'>;

const WAITING = 'waiting for a valid configuration';

/** The marks a Function's reconcile makes, each with its reason. */
export function functionLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(functionConditionSet, conditions, now);
  const host = (type: string, state: HostState): void => {
    const reason = state.reason ?? state.status;
    if (state.status === 'True') m.markTrue(type, reason, state.message);
    else if (state.status === 'False') m.markFalse(type, reason, state.message);
    else m.markUnknown(type, reason, state.message);
  };
  return {
    markConfigurationReady: () =>
      m.markTrue(CONFIGURATION_READY, 'FunctionSpecValidated', 'the function spec is valid'),
    markConfigurationFailed: (reason: string, message: string) =>
      m.markFalse(CONFIGURATION_READY, reason, message),
    markBuild: (state: HostState) => host(BUILD_READY, state),
    markRunning: (state: HostState) => host(RUNNING, state),
    markWaiting: () => {
      m.markUnknown(BUILD_READY, 'Waiting', WAITING);
      m.markUnknown(RUNNING, 'Waiting', WAITING);
    },
    get conditions() {
      return m.conditions;
    },
  };
}
