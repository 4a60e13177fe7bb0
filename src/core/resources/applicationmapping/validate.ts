import type { FieldError } from '../../errors.js';
import {
  checkOptionalObject,
  checkOptionalString,
  child,
  describeType,
  fieldError,
  isAbsent,
  item,
  type JsonObject,
} from '../fields.js';

/** ApplicationMapping rules: the name is the application's (checked with metadata); the spec is optional. */
export function validateApplicationMapping(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = object.spec;
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  const services = spec.services;
  if (!isAbsent(services)) {
    if (!Array.isArray(services)) {
      errors.push(fieldError('spec.services', `must be a list, not ${describeType(services)}`));
    } else {
      services.forEach((service, i) => {
        const path = item('spec.services', i);
        if (checkOptionalObject(service, path, errors))
          checkOptionalString(service.id, child(path, 'id'), errors);
      });
    }
  }
  return errors;
}
