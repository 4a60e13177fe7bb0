/**
 * Broker (`eventing.knative.dev/v1`, namespaced; knative-specs control-plane.md "Broker Lifecycle").
 * cemesh serves one broker class, Knative's channel-based multi-tenant broker; a broker's persistence comes
 * from `spec.config` (a ConfigMap holding `channel-template-spec`) or the namespace (ARCHITECTURE 2.6).
 */
import type { DeliverySpec } from '../../delivery/index.js';
import { isObject } from '../fields.js';
import { annotationOf } from '../metadata.js';
import { PERSISTENCE_ANNOTATION } from '../namespace/types.js';
import type { Resource } from '../object.js';
import { isPersistenceKind, type PersistenceKind } from '../persistence-kind.js';
import { readConfigMapRef, type ConfigMapRef } from '../reference.js';

export const BROKER_CLASS_ANNOTATION = 'eventing.knative.dev/broker.class';
export const MT_CHANNEL_BASED_BROKER = 'MTChannelBasedBroker';

export interface BrokerSpec {
  /** The class annotation, defaulted to MTChannelBasedBroker. */
  readonly brokerClass: string;
  /** `spec.config` with its namespace filled in (the broker's when absent). */
  readonly config: Required<ConfigMapRef> | undefined;
  readonly delivery: DeliverySpec | undefined;
}

/** The typed spec of a validated Broker. */
export function brokerSpec(broker: Resource): BrokerSpec {
  const spec = broker.spec ?? {};
  return {
    brokerClass: annotationOf(broker.metadata, BROKER_CLASS_ANNOTATION) ?? MT_CHANNEL_BASED_BROKER,
    config: readConfigMapRef(spec.config, broker.metadata.namespace ?? ''),
    delivery: isObject(spec.delivery) ? (spec.delivery as DeliverySpec) : undefined,
  };
}

/**
 * The storage a broker asks for with its own `eventing.cemesh.dev/persistence` annotation: at creation it
 * wins over every default; changed later, it moves the broker (docs/decisions/broker-migration.md).
 */
export function brokerPersistence(broker: Resource): PersistenceKind | undefined {
  const value = annotationOf(broker.metadata, PERSISTENCE_ANNOTATION);
  return isPersistenceKind(value) ? value : undefined;
}

/** The storage the broker was given when it was first resolved (`status.persistence.kind`), if any. */
export function storedPersistence(broker: Resource): PersistenceKind | undefined {
  const kind = (broker.status?.['persistence'] as { kind?: unknown } | undefined)?.kind;
  return isPersistenceKind(kind) ? kind : undefined;
}
