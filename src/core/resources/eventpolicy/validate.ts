/**
 * EventPolicy rules (STYLE 7, every field error at once): each `to` entry holds exactly one of ref and
 * selector and names Brokers (the only targets with an ingress in cemesh); each `from` entry holds exactly one
 * of ref and sub, a ref names a kind that sends with a subject, a sub is a subject or a `*`-suffix pattern;
 * `filters` are the SubscriptionsAPI filters triggers take.
 */
import type { FieldError } from '../../errors.js';
import { validateTriggerFilters } from '../../filters/index.js';
import { subjectProblem } from '../../authz/subjects.js';
import { LABEL_OPERATORS } from '../../authz/selector.js';
import {
  checkOptionalObject,
  checkRequiredString,
  checkStringMap,
  describeType,
  fieldError,
  isAbsent,
  isObject,
  type JsonObject,
} from '../fields.js';
import { BROKER_GROUP, groupOf, SENDER_KINDS } from './types.js';

export function validateEventPolicy(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = object.spec;
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  eachEntry(spec['to'], 'spec.to', errors, (entry, path) => validateTarget(entry, path, errors));
  eachEntry(spec['from'], 'spec.from', errors, (entry, path) => validateSender(entry, path, errors));
  if (!isAbsent(spec['filters']))
    errors.push(...validateTriggerFilters({ filters: spec['filters'] as unknown[] }));
  return errors;
}

function eachEntry(
  value: unknown,
  path: string,
  errors: FieldError[],
  check: (entry: JsonObject, path: string) => void,
): void {
  if (isAbsent(value)) return;
  if (!Array.isArray(value)) {
    errors.push(fieldError(path, `must be a list, not ${describeType(value)}`));
    return;
  }
  value.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(entry)) errors.push(fieldError(at, `must be a mapping, not ${describeType(entry)}`));
    else check(entry, at);
  });
}

function exactlyOne(entry: JsonObject, path: string, a: string, b: string, errors: FieldError[]): boolean {
  const present = [a, b].filter((k) => !isAbsent(entry[k]));
  if (present.length === 1) return true;
  errors.push(
    fieldError(
      path,
      present.length === 0 ? `needs one of ${a} and ${b}` : `must hold ${a} or ${b}, not both`,
    ),
  );
  return false;
}

function validateTarget(entry: JsonObject, path: string, errors: FieldError[]): void {
  if (!exactlyOne(entry, path, 'ref', 'selector', errors)) return;
  const isRef = !isAbsent(entry['ref']);
  const at = `${path}.${isRef ? 'ref' : 'selector'}`;
  const value = isRef ? entry['ref'] : entry['selector'];
  if (!checkOptionalObject(value, at, errors)) return;
  brokerKind(value, at, errors);
  if (isRef) {
    checkRequiredString(value['name'], `${at}.name`, errors);
    return;
  }
  checkStringMap(value['matchLabels'], `${at}.matchLabels`, errors);
  eachEntry(value['matchExpressions'], `${at}.matchExpressions`, errors, (r, p) =>
    validateRequirement(r, p, errors),
  );
}

/** cemesh's only targets with an ingress are brokers: any other kind would silently select nothing. */
function brokerKind(value: JsonObject, path: string, errors: FieldError[]): void {
  if (checkRequiredString(value['apiVersion'], `${path}.apiVersion`, errors)) {
    if (groupOf(value['apiVersion']) !== BROKER_GROUP)
      errors.push(fieldError(`${path}.apiVersion`, `must be in group ${BROKER_GROUP} (a Broker's)`));
  }
  if (checkRequiredString(value['kind'], `${path}.kind`, errors) && value['kind'] !== 'Broker') {
    errors.push(
      fieldError(
        `${path}.kind`,
        `must be Broker, not "${value['kind']}": brokers are the targets that take events`,
      ),
    );
  }
}

function validateRequirement(entry: JsonObject, path: string, errors: FieldError[]): void {
  checkRequiredString(entry['key'], `${path}.key`, errors);
  const operator = LABEL_OPERATORS.find((o) => o === entry['operator']);
  if (operator === undefined) {
    errors.push(fieldError(`${path}.operator`, `must be one of ${LABEL_OPERATORS.join(', ')}`));
    return;
  }
  const values = entry['values'];
  if (!isAbsent(values) && (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))) {
    errors.push(fieldError(`${path}.values`, 'must be a list of strings'));
    return;
  }
  const count = Array.isArray(values) ? values.length : 0;
  const needsValues = operator === 'In' || operator === 'NotIn';
  if (needsValues && count === 0)
    errors.push(fieldError(`${path}.values`, `must not be empty for ${operator}`));
  if (!needsValues && count > 0) errors.push(fieldError(`${path}.values`, `must be empty for ${operator}`));
}

function validateSender(entry: JsonObject, path: string, errors: FieldError[]): void {
  if (!exactlyOne(entry, path, 'ref', 'sub', errors)) return;
  if (!isAbsent(entry['sub'])) {
    if (!checkRequiredString(entry['sub'], `${path}.sub`, errors)) return;
    const problem = subjectProblem(entry['sub'], true);
    if (problem !== undefined) errors.push(fieldError(`${path}.sub`, problem));
    return;
  }
  const ref = entry['ref'];
  const at = `${path}.ref`;
  if (!checkOptionalObject(ref, at, errors)) return;
  checkRequiredString(ref['apiVersion'], `${at}.apiVersion`, errors);
  checkRequiredString(ref['name'], `${at}.name`, errors);
  if (!isAbsent(ref['namespace'])) checkRequiredString(ref['namespace'], `${at}.namespace`, errors);
  if (
    checkRequiredString(ref['kind'], `${at}.kind`, errors) &&
    !(SENDER_KINDS as readonly string[]).includes(ref['kind'])
  ) {
    errors.push(
      fieldError(
        `${at}.kind`,
        `must be one of ${SENDER_KINDS.join(', ')}, not "${ref['kind']}": other senders have no subject in cemesh; name them by sub`,
      ),
    );
  }
}
