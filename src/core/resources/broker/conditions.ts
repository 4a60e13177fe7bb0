/**
 * Broker conditions. `Addressable`: the broker has an ingress URL (`status.address.url`; control-plane.md
 * "A Broker represents an Addressable endpoint"). `BackendReady`: its persistence resolved and the backend
 * store for it is open and taking writes. `EventPoliciesReady` (Knative's): the EventPolicies that select it
 * are ready, or none does and the default authorization mode applies. `Ready` is derived from all three.
 */
import { conditionSet, manageConditions, READY } from '../conditions.js';
import type { Condition } from '../object.js';

export const BrokerConditions = {
  Ready: READY,
  Addressable: 'Addressable',
  BackendReady: 'BackendReady',
  EventPoliciesReady: 'EventPoliciesReady',
} as const;

export const brokerConditionSet = conditionSet([
  BrokerConditions.Addressable,
  BrokerConditions.BackendReady,
  BrokerConditions.EventPoliciesReady,
]);

/** The reason of a broker whose backend could not be opened (the reconciler retries it). */
export const BACKEND_UNAVAILABLE = 'BackendUnavailable';

/** The reason of a broker whose backend is not open yet (also what ingress says while it is being opened). */
export const BACKEND_NOT_READY = 'BackendNotReady';

/** The marks a broker's reconcile makes, each with its reason (Knative's broker_lifecycle.go). */
export function brokerLifecycle(conditions: readonly Condition[] | undefined, now: string) {
  const m = manageConditions(brokerConditionSet, conditions, now);
  const { Addressable, BackendReady, EventPoliciesReady } = BrokerConditions;
  return {
    /** `message`: which persistence, chosen by what (`embedded (from namespace annotation)`). */
    markBackendReady: (message: string) => m.markTrue(BackendReady, 'BackendReady', message),
    markPersistenceInvalid: (message: string) => m.markFalse(BackendReady, 'PersistenceInvalid', message),
    markBackendUnavailable: (message: string) => m.markFalse(BackendReady, BACKEND_UNAVAILABLE, message),
    markAddressable: () => m.markTrue(Addressable, 'Addressable'),
    markAddressUnknown: () => m.markUnknown(Addressable, BACKEND_NOT_READY, 'waiting for the backend'),
    /** Policies select the broker and every one of them is ready. */
    markEventPoliciesReady: () => m.markTrue(EventPoliciesReady),
    /** No policy selects the broker: `mode` (config-features) decides, as Knative reports it. */
    markDefaultAuthorizationMode: (mode: string) =>
      m.markTrue(EventPoliciesReady, 'DefaultAuthorizationMode', `Default authz mode is "${mode}"`),
    get ready() {
      return m.ready;
    },
    get conditions() {
      return m.conditions;
    },
  };
}

export type BrokerLifecycle = ReturnType<typeof brokerLifecycle>;
