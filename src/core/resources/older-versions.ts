/**
 * Knative's `eventing.knative.dev/v1alpha1` and `v1beta1` Broker and Trigger, served beside `v1` and stored
 * as `v1`, with the conversions Knative's own conversion webhooks made (pkg/apis/eventing/v1alpha1 and
 * v1beta1 `*_conversion.go`, eventing 0.14-0.22):
 * - v1beta1 and v1 have the same fields: only `apiVersion` changes, both ways.
 * - v1alpha1 Trigger: `spec.filter.sourceAndType {type, source}` becomes `spec.filter.attributes` with the
 *   same two keys (an empty value, v1alpha1's "Any", is left out: a missing attribute filter matches
 *   anything); a subscriber written with the deprecated inline `apiVersion`/`kind`/`name` becomes `ref`.
 * - v1alpha1 Broker: `spec.config` and `spec.delivery` are kept. `spec.channelTemplateSpec` has no v1
 *   field (v1beta1 replaced it with `spec.config`); it is kept so that validation refuses it by name
 *   instead of dropping the user's choice of channel.
 * Reading a stored object in an older version gives the v1 fields under the older apiVersion; v1's
 * `filters` (the new dialects) have no older form and are shown as they are.
 */
import type { KindVersion } from './kind.js';
import type { Resource } from './object.js';

const GROUP = 'eventing.knative.dev';
const V1 = `${GROUP}/v1`;

function withApiVersion(apiVersion: string): (object: Resource) => Resource {
  return (object) => ({ ...object, apiVersion });
}

/** `v1beta1`: the same fields as v1. */
const v1beta1: KindVersion = {
  name: 'v1beta1',
  toStorage: withApiVersion(V1),
  fromStorage: withApiVersion(`${GROUP}/v1beta1`),
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A v1alpha1 subscriber with the deprecated inline reference, as a Destination with `ref`. */
function subscriberToV1(subscriber: unknown): unknown {
  if (!isObject(subscriber) || subscriber.ref !== undefined) return subscriber;
  const { apiVersion, kind, name, namespace, ...rest } = subscriber;
  if (apiVersion === undefined && kind === undefined && name === undefined) return subscriber;
  const ref = { apiVersion, kind, name, ...(namespace === undefined ? {} : { namespace }) };
  return { ...rest, ref };
}

function filterToV1(filter: unknown): unknown {
  if (!isObject(filter) || !isObject(filter.sourceAndType)) return filter;
  const { sourceAndType, ...rest } = filter;
  const attributes: Json = isObject(rest.attributes) ? { ...rest.attributes } : {};
  for (const key of ['type', 'source']) {
    const value = sourceAndType[key];
    if (value !== undefined && value !== '') attributes[key] = value;
  }
  return { ...rest, attributes };
}

export const triggerV1alpha1: KindVersion = {
  name: 'v1alpha1',
  toStorage: (object) => {
    const spec: Json = { ...object.spec };
    if (spec.filter !== undefined) spec.filter = filterToV1(spec.filter);
    if (spec.subscriber !== undefined) spec.subscriber = subscriberToV1(spec.subscriber);
    return { ...object, apiVersion: V1, ...(object.spec === undefined ? {} : { spec }) };
  },
  fromStorage: withApiVersion(`${GROUP}/v1alpha1`),
};

export const brokerV1alpha1: KindVersion = {
  name: 'v1alpha1',
  toStorage: withApiVersion(V1),
  fromStorage: withApiVersion(`${GROUP}/v1alpha1`),
};

export const brokerVersions: readonly KindVersion[] = [{ name: 'v1' }, v1beta1, brokerV1alpha1];
export const triggerVersions: readonly KindVersion[] = [{ name: 'v1' }, v1beta1, triggerV1alpha1];
