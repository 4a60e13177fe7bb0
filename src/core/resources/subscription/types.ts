/**
 * Kyma's Subscription (`eventing.kyma-project.io/v1alpha2`, namespaced; eventing-manager
 * `api/eventing/v1alpha2`): the events of one source and a list of types go to a sink URL. cemesh routes it as
 * it routes a Trigger on the namespace's `default` broker (docs/kyma.md).
 */
import { isObject } from '../fields.js';
import { annotationOf } from '../metadata.js';
import type { Resource } from '../object.js';
import { MAX_INFLIGHT_MAX, MAX_INFLIGHT_MIN } from '../trigger/types.js';

export const SUBSCRIPTION_GROUP = 'eventing.kyma-project.io';
export const TYPE_MATCHINGS = ['standard', 'exact'] as const;
export type TypeMatching = (typeof TYPE_MATCHINGS)[number];
/** Kyma's CRD defaults `typeMatching` to `standard` and `config` to `{maxInFlightMessages: "10"}`. */
export const DEFAULT_TYPE_MATCHING: TypeMatching = 'standard';
export const MAX_IN_FLIGHT_KEY = 'maxInFlightMessages';
export const MAX_IN_FLIGHT_DEFAULT = 10;
export { MAX_INFLIGHT_MAX, MAX_INFLIGHT_MIN };

/**
 * Two settings of Kyma 1.x's Subscription (v1alpha1) that v1alpha2 has no field for; its conversion keeps
 * them as annotations, and delivery honours them (older-version.ts).
 */
export const PUSH_TIMEOUT_ANNOTATION = 'eventing.cemesh.dev/push-request-timeout-ms';
export const NAME_HEADER_ANNOTATION = 'eventing.cemesh.dev/include-subscription-name-header';
/** The header Kyma 1.x's event bus named the subscription in, when asked to. */
export const SUBSCRIPTION_NAME_HEADER = 'kyma-subscription';

export interface SubscriptionSpec {
  readonly sink: string;
  readonly source: string;
  readonly types: readonly string[];
  readonly typeMatching: TypeMatching;
  readonly maxInFlight: number;
  /** From the v1alpha1 `push_request_timeout_ms` annotation; undefined: the delivery default. */
  readonly pushTimeoutMs: number | undefined;
  readonly includeNameHeader: boolean;
}

/** A whole number within the range a trigger's max-inflight has; undefined otherwise. */
export function parseMaxInFlight(value: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= MAX_INFLIGHT_MIN && parsed <= MAX_INFLIGHT_MAX ? parsed : undefined;
}

/** A positive whole number of milliseconds; undefined otherwise. */
export function parseTimeoutMs(value: string): number | undefined {
  if (!/^[0-9]{1,9}$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed > 0 ? parsed : undefined;
}

/** The types without repeats, in their order (Kyma's GetUniqueTypes). */
export function uniqueTypes(types: readonly string[]): string[] {
  return [...new Set(types)];
}

/** The typed spec of a validated Subscription. */
export function subscriptionSpec(subscription: Resource): SubscriptionSpec {
  const spec = subscription.spec ?? {};
  const config = isObject(spec.config) ? spec.config : {};
  const inFlight = config[MAX_IN_FLIGHT_KEY];
  const timeout = annotationOf(subscription.metadata, PUSH_TIMEOUT_ANNOTATION);
  return {
    sink: typeof spec.sink === 'string' ? spec.sink : '',
    source: typeof spec.source === 'string' ? spec.source : '',
    types: Array.isArray(spec.types) ? spec.types.filter((t): t is string => typeof t === 'string') : [],
    typeMatching: spec.typeMatching === 'exact' ? 'exact' : DEFAULT_TYPE_MATCHING,
    maxInFlight:
      (typeof inFlight === 'string' ? parseMaxInFlight(inFlight) : undefined) ?? MAX_IN_FLIGHT_DEFAULT,
    pushTimeoutMs: timeout === undefined ? undefined : parseTimeoutMs(timeout),
    includeNameHeader: annotationOf(subscription.metadata, NAME_HEADER_ANNOTATION) === 'true',
  };
}
