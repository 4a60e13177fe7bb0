import { validateDestination } from '../../delivery/index.js';
import { validateDeliverySpec } from '../../delivery/index.js';
import type { FieldError } from '../../errors.js';
import { validateTriggerFilters, type TriggerFilterSpec } from '../../filters/index.js';
import { checkOptionalObject, fieldError, isAbsent, key, quote, type JsonObject } from '../fields.js';
import { annotationOf } from '../metadata.js';
import { dns1123SubdomainProblem } from '../names.js';
import type { Resource } from '../object.js';
import {
  DELIVERY_ORDER_ANNOTATIONS,
  DELIVERY_ORDERS,
  isDeliveryOrder,
  MAX_INFLIGHT_ANNOTATION,
  MAX_INFLIGHT_MAX,
  MAX_INFLIGHT_MIN,
  parseMaxInflight,
  PAUSED_ANNOTATION,
  triggerSpec,
} from './types.js';

/**
 * Trigger rules beyond metadata. `spec.broker` may be left out (it defaults to `default`); the subscriber is
 * required (control-plane.md: subscriber REQUIRED); filters and delivery are validated by their modules so
 * an invalid filter is refused with its path, never dropped (ARCHITECTURE 3).
 */
export function validateTrigger(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const maxInflight = annotationOf(object.metadata, MAX_INFLIGHT_ANNOTATION);
  if (maxInflight !== undefined && parseMaxInflight(maxInflight) === undefined) {
    errors.push(
      fieldError(
        key('metadata.annotations', MAX_INFLIGHT_ANNOTATION),
        `${quote(maxInflight)} must be a whole number from ${MAX_INFLIGHT_MIN} to ${MAX_INFLIGHT_MAX}`,
      ),
    );
  }
  errors.push(...validateDeliveryOrder(object.metadata));
  const paused = annotationOf(object.metadata, PAUSED_ANNOTATION);
  if (paused !== undefined && paused !== 'true' && paused !== 'false') {
    errors.push(
      fieldError(
        key('metadata.annotations', PAUSED_ANNOTATION),
        `${quote(paused)} must be "true" or "false"`,
      ),
    );
  }
  const spec = object.spec;
  if (isAbsent(spec)) {
    errors.push(fieldError('spec.subscriber', 'required'));
    return errors;
  }
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  const broker = spec.broker;
  if (!isAbsent(broker)) {
    if (typeof broker !== 'string') {
      errors.push(fieldError('spec.broker', 'must be a string (the name of a broker in the namespace)'));
    } else if (broker !== '') {
      const problem = dns1123SubdomainProblem(broker);
      if (problem !== undefined) errors.push(fieldError('spec.broker', `${quote(broker)} ${problem}`));
    }
  }
  if (isAbsent(spec.subscriber)) errors.push(fieldError('spec.subscriber', 'required'));
  else errors.push(...validateDestination(spec.subscriber, 'spec.subscriber'));
  errors.push(...validateTriggerFilters(spec as TriggerFilterSpec, 'spec'));
  errors.push(...validateDeliverySpec(spec.delivery, 'spec.delivery'));
  return errors;
}

/**
 * An unknown value would silently deliver unordered events to a subscriber that relies on order, so it is
 * refused; both spellings may be given only when they agree.
 */
function validateDeliveryOrder(metadata: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const given: string[] = [];
  for (const name of DELIVERY_ORDER_ANNOTATIONS) {
    const value = annotationOf(metadata, name);
    if (value === undefined) continue;
    if (isDeliveryOrder(value)) given.push(value);
    else {
      const allowed = DELIVERY_ORDERS.map(quote).join(' or ');
      errors.push(fieldError(key('metadata.annotations', name), `${quote(value)} must be ${allowed}`));
    }
  }
  if (given.length === 2 && given[0] !== given[1]) {
    errors.push(
      fieldError(
        key('metadata.annotations', DELIVERY_ORDER_ANNOTATIONS[1]),
        `${quote(given[1])} contradicts ${DELIVERY_ORDER_ANNOTATIONS[0]}: ${quote(given[0])}`,
      ),
    );
  }
  return errors;
}

/**
 * control-plane.md "Trigger Lifecycle": "Once created, the Trigger's spec.broker MUST NOT permit updates".
 * Compared after defaulting: leaving it out means `default` both times.
 */
export function validateTriggerUpdate(previous: Resource, next: Resource): FieldError[] {
  if (triggerSpec(previous).broker === triggerSpec(next).broker) return [];
  return [fieldError('spec.broker', 'is immutable; delete and re-create the trigger')];
}
