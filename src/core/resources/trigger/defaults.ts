/**
 * Trigger defaults, as Knative's webhook applies them: `spec.broker` is `default`, `spec.filter` is the
 * empty filter ("Trigger MUST default spec.filter to empty filter"), refs without a namespace point into the
 * trigger's namespace ("Trigger subscriber namespace MUST be defaulted to Trigger namespace"), and the
 * broker label is set. cemesh adds the max-inflight annotation's default so that it is visible.
 */
import { defaultDeliveryNamespaces, defaultDestinationNamespace } from '../destination-defaults.js';
import type { Resource } from '../object.js';
import { BROKER_LABEL, DEFAULT_BROKER, MAX_INFLIGHT_ANNOTATION, MAX_INFLIGHT_DEFAULT } from './types.js';

/** Applies the defaults to `trigger`, a copy the caller owns. */
export function defaultTrigger(trigger: Resource): Resource {
  // Copies by Object.assign, not spreads: adding a key to a spread's result (filter, a label, an annotation)
  // costs V8 about 1 us a key, which was most of this function's time (BENCHMARKS.md, "SA").
  const spec: Record<string, unknown> = Object.assign({}, trigger.spec);
  if (typeof spec.broker !== 'string' || spec.broker === '') spec.broker = DEFAULT_BROKER;
  if (spec.filter === undefined || spec.filter === null) spec.filter = {};
  const namespace = trigger.metadata.namespace;
  if (namespace !== undefined) {
    if (spec.subscriber !== undefined)
      spec.subscriber = defaultDestinationNamespace(spec.subscriber, namespace);
    if (spec.delivery !== undefined) spec.delivery = defaultDeliveryNamespaces(spec.delivery, namespace);
  }
  trigger.spec = spec;
  const annotations: Record<string, string> = Object.assign({}, trigger.metadata.annotations);
  annotations[MAX_INFLIGHT_ANNOTATION] ??= String(MAX_INFLIGHT_DEFAULT);
  const labels: Record<string, string> = Object.assign({}, trigger.metadata.labels);
  labels[BROKER_LABEL] = spec.broker as string;
  trigger.metadata = Object.assign({}, trigger.metadata, { labels, annotations });
  return trigger;
}
