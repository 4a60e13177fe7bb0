/**
 * Broker conditions. `Addressable`: the broker has an ingress URL (`status.address.url`; control-plane.md
 * "A Broker represents an Addressable endpoint"). `BackendReady`: its persistence resolved and the backend
 * store for it is open and taking writes. `Ready` is derived from both.
 */
import { conditionSet, READY } from '../conditions.js';

export const BrokerConditions = {
  Ready: READY,
  Addressable: 'Addressable',
  BackendReady: 'BackendReady',
} as const;

export const brokerConditionSet = conditionSet([BrokerConditions.Addressable, BrokerConditions.BackendReady]);
