/**
 * Kyma 1.x's own Subscription (`eventing.kyma-project.io/v1alpha1`, the Event Bus's subscriber kind), served
 * beside v1alpha2 and stored as v1alpha2, the way older Knative versions are (../older-versions.ts):
 *
 * | v1alpha1                           | v1alpha2                                                       |
 * | ---------------------------------- | -------------------------------------------------------------- |
 * | `endpoint`                         | `sink`                                                         |
 * | `source_id`                        | `source`                                                       |
 * | `event_type`, `event_type_version` | `types: ["<event_type>.<event_type_version>"]`, `standard`     |
 * | `max_inflight`                     | `config.maxInFlightMessages` (as a string)                     |
 * | `push_request_timeout_ms`          | annotation `eventing.cemesh.dev/push-request-timeout-ms`       |
 * | `include_subscription_name_header` | annotation `eventing.cemesh.dev/include-subscription-name-header` |
 *
 * The two annotations are honoured by delivery (the attempt's timeout; a `Kyma-Subscription` header), so
 * nothing the old kind said is lost. A field v1alpha1 does not have is carried over under its own name, so
 * that validation refuses it by name. Read back as v1alpha1, a stored v1alpha2 object shows its first type.
 */
import { splitVersion } from '../../kyma/event-type.js';
import type { KindVersion } from '../kind.js';
import type { Resource } from '../object.js';
import {
  MAX_IN_FLIGHT_KEY,
  NAME_HEADER_ANNOTATION,
  PUSH_TIMEOUT_ANNOTATION,
  SUBSCRIPTION_GROUP,
} from './types.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const V1ALPHA1 = `${SUBSCRIPTION_GROUP}/v1alpha1`;
const V1ALPHA2 = `${SUBSCRIPTION_GROUP}/v1alpha2`;

/** A number or boolean as the string an annotation holds; a string is kept, so validation can refuse it. */
const asText = (value: unknown): unknown =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;

export function v1alpha1ToV1alpha2(object: Resource): Resource {
  if (!isObject(object.spec)) return { ...object, apiVersion: V1ALPHA2 };
  const {
    endpoint,
    source_id: source,
    event_type: eventType,
    event_type_version: version,
    max_inflight: maxInflight,
    push_request_timeout_ms: timeout,
    include_subscription_name_header: nameHeader,
    ...rest
  } = object.spec;
  const spec: Json = { ...rest, typeMatching: 'standard' };
  if (endpoint !== undefined) spec.sink = endpoint;
  if (source !== undefined) spec.source = source;
  if (eventType !== undefined)
    spec.types = [version === undefined ? eventType : `${String(eventType)}.${String(version)}`];
  if (maxInflight !== undefined) spec.config = { [MAX_IN_FLIGHT_KEY]: asText(maxInflight) };
  const annotations: Json = { ...object.metadata.annotations };
  if (timeout !== undefined) annotations[PUSH_TIMEOUT_ANNOTATION] = asText(timeout);
  if (nameHeader !== undefined) annotations[NAME_HEADER_ANNOTATION] = asText(nameHeader);
  const metadata =
    Object.keys(annotations).length === 0
      ? object.metadata
      : { ...object.metadata, annotations: annotations as Record<string, string> };
  return { ...object, apiVersion: V1ALPHA2, metadata, spec };
}

export function v1alpha2ToV1alpha1(object: Resource): Resource {
  const spec = object.spec ?? {};
  const old: Json = {};
  if (spec.sink !== undefined) old.endpoint = spec.sink;
  if (spec.source !== undefined) old.source_id = spec.source;
  const first = Array.isArray(spec.types) ? spec.types[0] : undefined;
  if (typeof first === 'string') {
    const split = splitVersion(first);
    old.event_type = split?.name ?? first;
    if (split !== undefined) old.event_type_version = split.version;
  }
  const config = isObject(spec.config) ? spec.config : {};
  const inFlight = Number(config[MAX_IN_FLIGHT_KEY]);
  if (Number.isInteger(inFlight)) old.max_inflight = inFlight;
  const {
    [PUSH_TIMEOUT_ANNOTATION]: timeout,
    [NAME_HEADER_ANNOTATION]: nameHeader,
    ...annotations
  } = object.metadata.annotations ?? {};
  if (timeout !== undefined && Number.isInteger(Number(timeout)))
    old.push_request_timeout_ms = Number(timeout);
  if (nameHeader !== undefined) old.include_subscription_name_header = nameHeader === 'true';
  const { annotations: _, ...rest } = object.metadata;
  const metadata = Object.keys(annotations).length === 0 ? rest : { ...rest, annotations };
  return { ...object, apiVersion: V1ALPHA1, metadata, spec: old };
}

export const subscriptionV1alpha1: KindVersion = {
  name: 'v1alpha1',
  toStorage: v1alpha1ToV1alpha2,
  fromStorage: v1alpha2ToV1alpha1,
};
