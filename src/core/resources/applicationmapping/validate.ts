import type { FieldError } from '../../errors.js';
import { validateServiceList } from '../application/validate.js';
import { checkOptionalObject, type JsonObject } from '../fields.js';

/**
 * ApplicationMapping rules: the name is the application's (checked with metadata, as a DNS subdomain like
 * every Application name); the Kyma spec, a list of services, is optional.
 */
export function validateApplicationMapping(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = object.spec;
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  validateServiceList(spec.services, 'spec.services', errors);
  return errors;
}
