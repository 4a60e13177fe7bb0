/**
 * Broker defaults. The class annotation is set when missing (control-plane.md: "It is RECOMMENDED to
 * default the eventing.knative.dev/broker.class field on creation"), and references without a namespace get
 * the broker's, as Knative's webhook does, so that the stored object says exactly what it points at.
 */
import { defaultDeliveryNamespaces } from '../destination-defaults.js';
import { isObject } from '../fields.js';
import type { Resource } from '../object.js';
import { BROKER_CLASS_ANNOTATION, MT_CHANNEL_BASED_BROKER } from './types.js';

/** Applies the defaults to `broker`, a copy the caller owns. */
export function defaultBroker(broker: Resource): Resource {
  const annotations = { ...broker.metadata.annotations };
  annotations[BROKER_CLASS_ANNOTATION] ??= MT_CHANNEL_BASED_BROKER;
  broker.metadata = { ...broker.metadata, annotations };
  const namespace = broker.metadata.namespace;
  if (broker.spec === undefined || namespace === undefined) return broker;
  const spec = { ...broker.spec };
  if (isObject(spec.config) && (typeof spec.config.namespace !== 'string' || spec.config.namespace === '')) {
    spec.config = { ...spec.config, namespace };
  }
  if (spec.delivery !== undefined) spec.delivery = defaultDeliveryNamespaces(spec.delivery, namespace);
  broker.spec = spec;
  return broker;
}
