/**
 * The resource kinds cemesh serves (ARCHITECTURE 2.4): validation with every field error at once, defaults,
 * update rules, conditions and persistence selection. Pure: no I/O; callers pass what is stored.
 */
import type { FieldError } from '../errors.js';
import { conditionSet, markCondition, readyFrom, setCondition } from './conditions.js';
import { fieldError, isObject, type JsonObject } from './fields.js';
import { validateObjectMeta } from './metadata.js';
import type { Resource } from './object.js';
import { toStorage } from './registry.js';
import { checkFields, fieldErrors } from './schema.js';
import type { KindDefinition } from './kind.js';
import { kindInfoOf, servedKindOf, validateTypeMeta } from './typemeta.js';

export type { Condition, ConditionStatus, ObjectMeta, Resource, Status } from './object.js';
export type { FieldError } from '../errors.js';
export { kindInfoOf, servedKindOf } from './typemeta.js';
export type { KindDefinition, KindEntry, KindNames, KindSample, KindVersion, PrinterColumn } from './kind.js';
export {
  apiVersionOf,
  collectionPath,
  groupVersion,
  resourceName,
  sampleObject,
  servedApiVersions,
} from './kind.js';
export { allKinds, findKind, findKindByPath, findKindOf, kindNamed, registerKind } from './registry.js';
export { fromStorage, toStorage, type ServedKind } from './registry.js';
export { setCondition, readyFrom, conditionSet, markCondition };
export { initializeConditions, getCondition, isReady, READY } from './conditions.js';
export type { ConditionSet, ConditionUpdate } from './conditions.js';
export { resolvePersistence } from './persistence.js';
export { brokerDelivery } from './broker-delivery.js';
export type { PersistenceInput, PersistenceResult } from './persistence.js';
export { persistenceKinds, isPersistenceKind } from './persistence-kind.js';
export type { PersistenceKind } from './persistence-kind.js';

export { PERSISTENCE_ANNOTATION, namespacePersistence } from './namespace/types.js';
export { NamespaceConditions, namespaceConditionSet } from './namespace/conditions.js';
export {
  CHANNEL_TEMPLATE_KEY,
  CONFIG_BR_DEFAULTS,
  DEFAULT_BR_CONFIG_KEY,
  KNATIVE_EVENTING_NAMESPACE,
} from './configmap/types.js';
export { parseBrokerDefaults, entryConfig } from './configmap/broker-defaults.js';
export type { BrokerDefaults, BrokerDefaultsEntry } from './configmap/broker-defaults.js';
export { parseChannelTemplate, channelKinds } from './configmap/channel-template.js';
export type { ChannelKind } from './configmap/channel-template.js';
export { ConfigMapConditions, configMapConditionSet } from './configmap/conditions.js';
export {
  BROKER_CLASS_ANNOTATION,
  MT_CHANNEL_BASED_BROKER,
  SHARDS_ANNOTATION,
  brokerSpec,
} from './broker/types.js';
export type { BrokerSpec } from './broker/types.js';
export { BrokerConditions, brokerConditionSet } from './broker/conditions.js';
export {
  BROKER_LABEL,
  DEFAULT_BROKER,
  DELIVERY_ORDER_ANNOTATIONS,
  deliveryOrderOf,
  MAX_INFLIGHT_ANNOTATION,
  MAX_INFLIGHT_DEFAULT,
  parseMaxInflight,
  triggerSpec,
} from './trigger/types.js';
export type { DeliveryOrder, TriggerSpec } from './trigger/types.js';
export { BROKER_DOES_NOT_EXIST, TriggerConditions, triggerConditionSet } from './trigger/conditions.js';
export { applicationSpec } from './application/types.js';
export type { ApplicationSpec } from './application/types.js';
export { ApplicationConditions, applicationConditionSet } from './application/conditions.js';
export { applicationBinding } from './applicationmapping/types.js';
export type { ApplicationBinding } from './applicationmapping/types.js';
export {
  ApplicationMappingConditions,
  applicationMappingConditionSet,
} from './applicationmapping/conditions.js';
export type { ConfigMapRef } from './reference.js';
export type { KindSchema, Schema } from './schema.js';
export { objectSchema } from './object-schema.js';
export { defaultResource, specOf } from './defaulting.js';

/**
 * Validates a decoded object of any served kind and returns every field error at once, each with its path
 * (empty when valid). An object in a served version other than the storage version is validated as it
 * converts to the storage version. Run it before `defaultResource`: fields that have defaults may be left out.
 */
export function validateResource(object: unknown): FieldError[] {
  if (!isObject(object))
    return [fieldError('', 'a resource must be a mapping with apiVersion, kind and metadata')];
  const errors: FieldError[] = [];
  const served = validateTypeMeta(object, errors);
  validateObjectMeta(object.metadata, served?.kind, errors);
  const spec = object.spec;
  const specOk = spec === undefined || spec === null || isObject(spec);
  if (!specOk) errors.push(fieldError('spec', 'must be a mapping'));
  if (served === undefined || !specOk) return errors;
  if (served.version.toStorage === undefined) errors.push(...validateKind(served.kind, object));
  // Another version's fields are checked once it converts, which needs a readable object.
  else if (errors.length === 0)
    errors.push(...validateKind(served.kind, asJson(toStorage(served, object as Resource))));
  return errors;
}

/** The kind's schema (unknown and unsupported fields, Kubernetes' strict field validation), then its rules. */
function validateKind(kind: KindDefinition, object: JsonObject): FieldError[] {
  return [...fieldErrors(object, kind.schema), ...kind.validate(object)];
}

/**
 * A copy of an object in its kind's storage version without the fields its kind's schema does not declare,
 * and their paths: what `?fieldValidation=Warn` and `Ignore` store (Kubernetes prunes unknown fields of
 * custom resources the same way). An object of no served kind is returned as it is.
 */
export function pruneUnknownFields(object: Resource): { object: Resource; unknown: string[] } {
  const served = servedKindOf(object);
  if (served === undefined) return { object, unknown: [] };
  const fields = checkFields(object, served.kind.schema);
  return { object: fields.pruned as Resource, unknown: fields.unknown.map((f) => f.path) };
}

/**
 * The errors an update from `previous` (as stored) to `next` (validated) would cause by changing fields that
 * cannot change: kind, name, namespace, and each kind's immutable fields.
 */
export function validateResourceUpdate(previous: Resource, next: Resource): FieldError[] {
  const errors: FieldError[] = [];
  const before = kindInfoOf(previous);
  const after = kindInfoOf(next);
  if (before !== after) errors.push(fieldError('kind', `is immutable (was ${previous.kind})`));
  if (previous.metadata.name !== next.metadata.name) errors.push(fieldError('metadata.name', 'is immutable'));
  if (after?.namespaced === true && previous.metadata.namespace !== next.metadata.namespace) {
    errors.push(fieldError('metadata.namespace', 'is immutable'));
  }
  if (before === undefined || before !== after) return errors;
  errors.push(...(before.validateUpdate?.(previous, next) ?? []));
  return errors;
}

function asJson(object: Resource): JsonObject {
  return object as unknown as JsonObject;
}
