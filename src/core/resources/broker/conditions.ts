/**
 * Broker conditions. `Addressable`: the broker has an ingress URL (`status.address.url`; control-plane.md
 * "A Broker represents an Addressable endpoint"). `BackendReady`: its persistence resolved and the backend
 * store for it is open and taking writes. `Ready` is derived from both.
 */
import { conditionSet, manageConditions, READY } from '../conditions.js';
import type { Condition } from '../object.js';

export const BrokerConditions = {
  Ready: READY,
  Addressable: 'Addressable',
  BackendReady: 'BackendReady',
} as const;

export const brokerConditionSet = conditionSet([BrokerConditions.Addressable, BrokerConditions.BackendReady]);

/** The reason of a broker whose backend could not be opened (the reconciler retries it). */
export const BACKEND_UNAVAILABLE = 'BackendUnavailable';

/** The marks a broker's reconcile makes, each with its reason (Knative's broker_lifecycle.go). */
export function brokerLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(brokerConditionSet, conditions, now);
  const { Addressable, BackendReady } = BrokerConditions;
  return {
    /** `message`: which persistence, chosen by what (`embedded (from namespace annotation)`). */
    markBackendReady: (message: string) => m.markTrue(BackendReady, 'BackendReady', message),
    markPersistenceInvalid: (message: string) => m.markFalse(BackendReady, 'PersistenceInvalid', message),
    markBackendUnavailable: (message: string) => m.markFalse(BackendReady, BACKEND_UNAVAILABLE, message),
    markAddressable: () => m.markTrue(Addressable, 'Addressable'),
    markAddressUnknown: () => m.markUnknown(Addressable, 'BackendNotReady', 'waiting for the backend'),
    get ready() {
      return m.ready;
    },
    get conditions() {
      return m.conditions;
    },
  };
}

export type BrokerLifecycle = ReturnType<typeof brokerLifecycle>;
