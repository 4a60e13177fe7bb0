import type { FieldError } from '../../errors.js';
import {
  checkOptionalBoolean,
  checkOptionalObject,
  checkOptionalString,
  checkStringList,
  checkStringMap,
  child,
  describeType,
  fieldError,
  isAbsent,
  item,
  type JsonObject,
} from '../fields.js';

const STRING_FIELDS = [
  'description',
  'displayName',
  'providerDisplayName',
  'longDescription',
  'tenant',
  'group',
  'accessLabel',
];
const BOOLEAN_FIELDS = ['skipVerify', 'skipInstallation', 'encodeUrl'];

/**
 * Application rules: the spec is optional; the Kyma fields cemesh knows must have their Kyma types (so that a
 * manifest that Kyma would refuse is refused here too), and fields it does not know are kept as they are.
 */
export function validateApplication(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = object.spec;
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  for (const field of STRING_FIELDS) checkOptionalString(spec[field], child('spec', field), errors);
  for (const field of BOOLEAN_FIELDS) checkOptionalBoolean(spec[field], child('spec', field), errors);
  checkStringMap(spec.labels, 'spec.labels', errors);
  checkStringList(spec.tags, 'spec.tags', errors);
  checkOptionalObject(spec.compassMetadata, 'spec.compassMetadata', errors);
  validateServiceList(spec.services, 'spec.services', errors);
  return errors;
}

/** Kyma's `services` list (Application and ApplicationMapping): mappings, each with a string `id`. */
export function validateServiceList(services: unknown, path: string, errors: FieldError[]): void {
  if (isAbsent(services)) return;
  if (!Array.isArray(services)) {
    errors.push(fieldError(path, `must be a list, not ${describeType(services)}`));
    return;
  }
  services.forEach((service, i) => {
    const servicePath = item(path, i);
    if (checkOptionalObject(service, servicePath, errors))
      checkOptionalString(service.id, child(servicePath, 'id'), errors);
  });
}
