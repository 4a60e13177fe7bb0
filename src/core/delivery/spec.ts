/**
 * Knative's `DeliverySpec` (eventing duck/v1) and its admission validation: every field error at once.
 */
import type { FieldError } from '../errors.js';
import { validateDestination } from './destination.js';
import type { DestinationSpec } from './destination.js';
import { parseIsoDuration } from './duration.js';

export interface DeliverySpec {
  retry?: number;
  backoffPolicy?: 'linear' | 'exponential';
  backoffDelay?: string;
  timeout?: string;
  retryAfterMax?: string;
  deadLetterSink?: DestinationSpec;
  format?: 'json' | 'binary';
}

const DURATION_MESSAGE = 'must be an ISO-8601 duration such as PT0.2S';
/** Knative types `retry` as int32. */
const MAX_RETRY = 2 ** 31 - 1;
/**
 * `spec` may be undefined or null (no delivery options); `path` is e.g. `spec.delivery`. Which fields exist
 * is the schema's (`schema.ts`): this checks the values of the declared ones.
 */
export function validateDeliverySpec(spec: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (spec === undefined || spec === null) return errors;
  if (typeof spec !== 'object' || Array.isArray(spec)) {
    errors.push({ field: path, message: 'must be an object' });
    return errors;
  }
  const fields = spec as Record<string, unknown>;
  const set = (key: string): boolean => fields[key] !== undefined && fields[key] !== null;
  if (set('retry')) {
    const retry = fields.retry;
    if (typeof retry !== 'number' || !Number.isInteger(retry) || retry < 0 || retry > MAX_RETRY) {
      errors.push({ field: `${path}.retry`, message: 'must be an integer from 0 to 2147483647' });
    }
  }
  if (set('backoffPolicy') && fields.backoffPolicy !== 'linear' && fields.backoffPolicy !== 'exponential') {
    errors.push({ field: `${path}.backoffPolicy`, message: 'must be linear or exponential' });
  }
  if (set('backoffDelay')) checkDuration(fields.backoffDelay, `${path}.backoffDelay`, errors);
  if (set('timeout')) {
    // Knative's DeliverySpec docs: "The value must be greater than 0."
    const ms = checkDuration(fields.timeout, `${path}.timeout`, errors);
    if (ms === 0) errors.push({ field: `${path}.timeout`, message: 'must be greater than 0' });
  }
  // PT0S is valid here: Knative reads it as "do not honor Retry-After".
  if (set('retryAfterMax')) checkDuration(fields.retryAfterMax, `${path}.retryAfterMax`, errors);
  if (set('deadLetterSink'))
    errors.push(...validateDestination(fields.deadLetterSink, `${path}.deadLetterSink`));
  if (set('format') && fields.format !== 'json' && fields.format !== 'binary') {
    errors.push({ field: `${path}.format`, message: 'must be json or binary' });
  }
  return errors;
}

function checkDuration(value: unknown, field: string, errors: FieldError[]): number | undefined {
  const ms = typeof value === 'string' ? parseIsoDuration(value) : undefined;
  if (ms === undefined) errors.push({ field, message: DURATION_MESSAGE });
  return ms;
}
