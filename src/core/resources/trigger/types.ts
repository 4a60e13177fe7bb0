/**
 * Trigger (`eventing.knative.dev/v1`, namespaced; knative-specs control-plane.md "Trigger Lifecycle"):
 * which events of a broker go to which subscriber, with what delivery options. cemesh adds one annotation:
 * the number of deliveries to the trigger's subscriber that may be in flight at once (flow control).
 */
import type { DeliverySpec } from '../../delivery/index.js';
import type { DestinationSpec } from '../../delivery/index.js';
import type { TriggerFilterSpec } from '../../filters/index.js';
import { isObject } from '../fields.js';
import { annotationOf } from '../metadata.js';
import type { Resource } from '../object.js';

export const MAX_INFLIGHT_ANNOTATION = 'eventing.cemesh.dev/max-inflight';
export const MAX_INFLIGHT_DEFAULT = 100;
export const MAX_INFLIGHT_MIN = 1;
export const MAX_INFLIGHT_MAX = 10000;
/**
 * Per-key ordered delivery (docs/delivery.md, "Ordered delivery"). Knative's Kafka broker spells it
 * `kafka.eventing.knative.dev/delivery.order`; cemesh accepts that name so Kafka-broker YAML applies
 * unchanged, and its own. Values are Knative's: `ordered` or `unordered` (the default).
 */
export const DELIVERY_ORDER_ANNOTATIONS = [
  'kafka.eventing.knative.dev/delivery.order',
  'eventing.cemesh.dev/delivery-order',
] as const;
export const DELIVERY_ORDERS = ['ordered', 'unordered'] as const;
export type DeliveryOrder = (typeof DELIVERY_ORDERS)[number];
/** `"true"` pauses delivery to the subscriber, matching events still queue (docs/decisions/trigger-pause.md). */
export const PAUSED_ANNOTATION = 'eventing.cemesh.dev/paused';
/** Knative defaults `spec.broker` to the namespace's `default` broker. */
export const DEFAULT_BROKER = 'default';
/** The label Knative's webhook sets to a trigger's broker, so triggers can be listed per broker. */
export const BROKER_LABEL = 'eventing.knative.dev/broker';

export interface TriggerSpec extends TriggerFilterSpec {
  readonly broker: string;
  readonly subscriber: DestinationSpec;
  readonly delivery: DeliverySpec | undefined;
  /** From the max-inflight annotation, or its default. */
  readonly maxInflight: number;
  /** From the delivery-order annotations; `unordered` when neither is set. */
  readonly deliveryOrder: DeliveryOrder;
  /** The paused annotation is `"true"`. */
  readonly paused: boolean;
}

export function isDeliveryOrder(value: string): value is DeliveryOrder {
  return (DELIVERY_ORDERS as readonly string[]).includes(value);
}

/** The delivery order the annotations ask for; validation has refused unknown or conflicting values. */
export function deliveryOrderOf(metadata: Resource['metadata']): DeliveryOrder {
  for (const name of DELIVERY_ORDER_ANNOTATIONS) {
    const value = annotationOf(metadata, name);
    if (value !== undefined && isDeliveryOrder(value)) return value;
  }
  return 'unordered';
}

/** Reads the max-inflight annotation value; undefined when it is not a whole number in range. */
export function parseMaxInflight(value: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= MAX_INFLIGHT_MIN && parsed <= MAX_INFLIGHT_MAX ? parsed : undefined;
}

/** The typed spec of a validated Trigger. */
export function triggerSpec(trigger: Resource): TriggerSpec {
  const spec = trigger.spec ?? {};
  const annotation = annotationOf(trigger.metadata, MAX_INFLIGHT_ANNOTATION);
  const result: TriggerSpec = {
    broker: typeof spec.broker === 'string' && spec.broker !== '' ? spec.broker : DEFAULT_BROKER,
    subscriber: (isObject(spec.subscriber) ? spec.subscriber : {}) as DestinationSpec,
    delivery: isObject(spec.delivery) ? (spec.delivery as DeliverySpec) : undefined,
    maxInflight:
      (annotation === undefined ? undefined : parseMaxInflight(annotation)) ?? MAX_INFLIGHT_DEFAULT,
    deliveryOrder: deliveryOrderOf(trigger.metadata),
    paused: annotationOf(trigger.metadata, PAUSED_ANNOTATION) === 'true',
  };
  if (isObject(spec.filter)) (result as { filter?: TriggerFilterSpec['filter'] }).filter = spec.filter;
  if (Array.isArray(spec.filters)) (result as { filters?: unknown[] }).filters = spec.filters;
  return result;
}
