/** Subscription defaults as Kyma's CRD sets them: `typeMatching: standard`, `config.maxInFlightMessages: "10"`. */
import { isObject } from '../fields.js';
import type { Resource } from '../object.js';
import { DEFAULT_TYPE_MATCHING, MAX_IN_FLIGHT_DEFAULT, MAX_IN_FLIGHT_KEY } from './types.js';

/** Applies the defaults to `subscription`, a copy the caller owns. */
export function defaultSubscription(subscription: Resource): Resource {
  const spec = { ...subscription.spec };
  if (typeof spec.typeMatching !== 'string' || spec.typeMatching === '')
    spec.typeMatching = DEFAULT_TYPE_MATCHING;
  const config = isObject(spec.config) ? { ...spec.config } : {};
  config[MAX_IN_FLIGHT_KEY] ??= String(MAX_IN_FLIGHT_DEFAULT);
  spec.config = config;
  subscription.spec = spec;
  return subscription;
}
