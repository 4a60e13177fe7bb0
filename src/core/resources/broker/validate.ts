import { validateDeliverySpec } from '../../delivery/index.js';
import type { FieldError } from '../../errors.js';
import { checkOptionalObject, fieldError, isAbsent, key, quote, type JsonObject } from '../fields.js';
import { annotationOf } from '../metadata.js';
import { PERSISTENCE_ANNOTATION } from '../namespace/types.js';
import type { Resource } from '../object.js';
import { validateConfigMapRef } from '../reference.js';
import { isPersistenceKind, persistenceKinds } from '../persistence-kind.js';
import {
  BROKER_CLASS_ANNOTATION,
  brokerPersistence,
  brokerSpec,
  MT_CHANNEL_BASED_BROKER,
  storedPersistence,
} from './types.js';

const CLASS_PATH = key('metadata.annotations', BROKER_CLASS_ANNOTATION);
const PERSISTENCE_PATH = key('metadata.annotations', PERSISTENCE_ANNOTATION);

/**
 * Broker rules beyond metadata. Other broker classes are refused rather than accepted and left unready:
 * cemesh would never serve them, and saying so at admission is clearer than a broker that never becomes
 * Ready.
 */
export function validateBroker(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const brokerClass = annotationOf(object.metadata, BROKER_CLASS_ANNOTATION);
  if (brokerClass !== undefined && brokerClass !== MT_CHANNEL_BASED_BROKER) {
    errors.push(
      fieldError(
        CLASS_PATH,
        `${quote(brokerClass)} is not a broker class cemesh serves; use ${MT_CHANNEL_BASED_BROKER} and choose ` +
          `persistence with spec.config or the namespace annotation ${PERSISTENCE_ANNOTATION}`,
      ),
    );
  }
  const persistence = annotationOf(object.metadata, PERSISTENCE_ANNOTATION);
  if (persistence !== undefined && !isPersistenceKind(persistence)) {
    errors.push(
      fieldError(
        PERSISTENCE_PATH,
        `${quote(persistence)} is not a persistence; use one of ${persistenceKinds.join(', ')}`,
      ),
    );
  }
  const spec = object.spec;
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  if (!isAbsent(spec.config) && checkOptionalObject(spec.config, 'spec.config', errors)) {
    validateConfigMapRef(spec.config, 'spec.config', errors);
  }
  errors.push(...validateDeliverySpec(spec.delivery, 'spec.delivery'));
  return errors;
}

const IMMUTABLE = 'is immutable; delete and re-create the broker';

/**
 * control-plane.md "Broker Lifecycle": "Once created, the eventing.knative.dev/broker.class annotation and
 * the spec.config field MUST be immutable". Both are compared after defaulting, so re-applying a manifest
 * that leaves them out is not a change.
 */
export function validateBrokerUpdate(previous: Resource, next: Resource): FieldError[] {
  const before = brokerSpec(previous);
  const after = brokerSpec(next);
  const errors: FieldError[] = [];
  if (before.brokerClass !== after.brokerClass) errors.push(fieldError(CLASS_PATH, IMMUTABLE));
  if (JSON.stringify(before.config) !== JSON.stringify(after.config))
    errors.push(fieldError('spec.config', IMMUTABLE));
  const from = storedPersistence(previous);
  const to = brokerPersistence(next);
  if (from !== undefined && to !== undefined && from !== to && (from === 'jetstream' || to === 'jetstream')) {
    errors.push(
      fieldError(
        PERSISTENCE_PATH,
        `cannot move the broker from ${from} to ${to}: JetStream keeps a delivery's retry state in its ` +
          'consumer (delivery count, redelivery time), which cannot be read out or written in, so pending ' +
          'retries would be lost or restarted; let the triggers deliver what is pending, then delete the ' +
          'broker and create it again with the new persistence (docs/decisions/broker-migration.md)',
      ),
    );
  }
  return errors;
}
