/**
 * Defaults inside Knative Destinations: a `ref` without a namespace points into the referring object's
 * namespace, and the default is written into the object so that stored specs say where they point
 * (Knative's conformance tests check it for a Trigger's subscriber: "Trigger subscriber namespace MUST be
 * defaulted to Trigger namespace").
 */
import { isObject, type JsonObject } from './fields.js';

/** A copy of `destination` whose `ref.namespace` is filled in; anything else is returned as it is. */
export function defaultDestinationNamespace(destination: unknown, namespace: string): unknown {
  if (!isObject(destination) || !isObject(destination.ref)) return destination;
  const ref = destination.ref;
  if (typeof ref.namespace === 'string' && ref.namespace !== '') return destination;
  return { ...destination, ref: { ...ref, namespace } };
}

/** A copy of a DeliverySpec whose dead-letter sink ref has its namespace filled in. */
export function defaultDeliveryNamespaces(delivery: unknown, namespace: string): unknown {
  if (!isObject(delivery) || !isObject(delivery.deadLetterSink)) return delivery;
  const deadLetterSink = defaultDestinationNamespace(delivery.deadLetterSink, namespace);
  return { ...delivery, deadLetterSink } satisfies JsonObject;
}
