/**
 * Admission validation of a Trigger's filters (STYLE 7): every field error at once, each with its path.
 * ARCHITECTURE 3: an invalid filter is rejected with its path; a filter is never silently dropped.
 */
import type { FieldError } from '../errors.js';
import { isValidAttributeName } from './attributes.js';
import { validateCesqlFilter } from './cesql.js';
import { DIALECTS, isDialect, isPlainObject } from './types.js';
import type { TriggerFilterSpec } from './types.js';

const DIALECT_LIST = DIALECTS.join(', ');
const ATTRIBUTE_NAME_RULE = 'must be a CloudEvents attribute name: lowercase letters a-z and digits 0-9 only';

export function validateTriggerFilters(spec: TriggerFilterSpec, path = 'spec'): FieldError[] {
  const errors: FieldError[] = [];
  if (!isPlainObject(spec)) {
    errors.push({ field: path, message: 'must be an object' });
    return errors;
  }
  // Kubernetes reads `null` for an optional field as "not set"; so does cemesh for filter and filters.
  if (spec.filter !== undefined && spec.filter !== null)
    validateLegacy(spec.filter, `${path}.filter`, errors);
  if (spec.filters !== undefined && spec.filters !== null) {
    if (!Array.isArray(spec.filters)) {
      errors.push({ field: `${path}.filters`, message: 'must be a list of filters' });
    } else {
      spec.filters.forEach((entry, i) => validateEntry(entry, `${path}.filters[${i}]`, errors));
    }
  }
  return errors;
}

function validateLegacy(filter: unknown, path: string, errors: FieldError[]): void {
  if (!isPlainObject(filter)) {
    errors.push({ field: path, message: 'must be an object' });
    return;
  }
  const attributes = filter.attributes;
  if (attributes === undefined || attributes === null) return;
  if (!isPlainObject(attributes)) {
    errors.push({ field: `${path}.attributes`, message: 'must be an object of attribute name to string' });
    return;
  }
  for (const [name, value] of Object.entries(attributes)) {
    const field = `${path}.attributes.${name}`;
    if (!isValidAttributeName(name)) errors.push({ field, message: ATTRIBUTE_NAME_RULE });
    // An empty string is allowed here: it means "present and non-empty" (see legacy.ts).
    if (typeof value !== 'string') errors.push({ field, message: 'must be a string' });
  }
}

function validateEntry(entry: unknown, path: string, errors: FieldError[]): void {
  if (!isPlainObject(entry)) {
    errors.push({ field: path, message: `must be an object holding exactly one of ${DIALECT_LIST}` });
    return;
  }
  const keys = Object.keys(entry);
  // Other keys are unknown fields, which the Trigger's schema reports (`schema.ts`).
  const dialects = keys.filter(isDialect);
  if (keys.length === 0) {
    errors.push({ field: path, message: `must hold exactly one of ${DIALECT_LIST}; found none` });
  } else if (dialects.length > 1) {
    errors.push({
      field: path,
      message: `must hold exactly one dialect; found ${dialects.join(', ')} (combine them with all or any)`,
    });
  }
  for (const dialect of dialects) {
    const value = entry[dialect];
    const field = `${path}.${dialect}`;
    switch (dialect) {
      case 'exact':
      case 'prefix':
      case 'suffix':
        validateAttributeMap(value, field, errors);
        break;
      case 'all':
      case 'any':
        validateList(value, field, errors);
        break;
      case 'not':
        validateEntry(value, field, errors);
        break;
      case 'cesql': {
        const message = validateCesqlFilter(value);
        if (message !== undefined) errors.push({ field, message });
        break;
      }
    }
  }
}

/**
 * Knative's SubscriptionsAPIFilter docs: "The attribute name and value specified in the filter express MUST
 * NOT be empty strings." An empty map is refused too: it would name no attribute and so say nothing.
 */
function validateAttributeMap(value: unknown, path: string, errors: FieldError[]): void {
  if (!isPlainObject(value)) {
    errors.push({ field: path, message: 'must be an object of attribute name to string' });
    return;
  }
  const pairs = Object.entries(value);
  if (pairs.length === 0) {
    errors.push({ field: path, message: 'must name at least one attribute' });
    return;
  }
  for (const [name, expected] of pairs) {
    const field = `${path}.${name}`;
    if (!isValidAttributeName(name)) errors.push({ field, message: ATTRIBUTE_NAME_RULE });
    if (typeof expected !== 'string') errors.push({ field, message: 'must be a string' });
    else if (expected === '') errors.push({ field, message: 'must not be empty' });
  }
}

/** Knative's API docs for all and any: "It must contain at least one filter expression." */
function validateList(value: unknown, path: string, errors: FieldError[]): void {
  if (!Array.isArray(value)) {
    errors.push({ field: path, message: 'must be a list of filters' });
    return;
  }
  if (value.length === 0) {
    errors.push({ field: path, message: 'must contain at least one filter' });
    return;
  }
  value.forEach((nested, i) => validateEntry(nested, `${path}[${i}]`, errors));
}
