/**
 * Subscription rules, as Kyma's validator checks them (eventing-manager
 * `internal/controller/eventing/subscription/validator`), every error at once with its path. One rule is
 * relaxed: Kyma takes only cluster-local sinks; cemesh, which runs outside clusters too, takes any http(s)
 * URL and checks a cluster-local one the way Kyma does (a Service of the Subscription's namespace).
 */
import { cleanEventType, KYMA_EVENT_TYPE_PREFIX } from '../../kyma/event-type.js';
import type { FieldError } from '../../errors.js';
import {
  checkOptionalObject,
  checkOptionalString,
  checkRequiredString,
  describeType,
  fieldError,
  isAbsent,
  item,
  key,
  quote,
  type JsonObject,
} from '../fields.js';
import { annotationOf } from '../metadata.js';
import {
  MAX_IN_FLIGHT_KEY,
  MAX_INFLIGHT_MAX,
  MAX_INFLIGHT_MIN,
  NAME_HEADER_ANNOTATION,
  parseMaxInFlight,
  parseTimeoutMs,
  PUSH_TIMEOUT_ANNOTATION,
  TYPE_MATCHINGS,
  type TypeMatching,
} from './types.js';

const CLUSTER_LOCAL = '.svc.cluster.local';
/** Kyma: a type has at least two segments. */
const MIN_TYPE_SEGMENTS = 2;

export function validateSubscription(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  validateAnnotations(object.metadata, errors);
  const spec = object.spec;
  if (isAbsent(spec))
    return [...errors, fieldError('spec.sink', 'required'), fieldError('spec.types', 'required')];
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  checkOptionalString(spec.id, 'spec.id', errors);
  const matching = validateTypeMatching(spec.typeMatching, errors);
  const source = validateSource(spec.source, matching, errors);
  validateTypes(spec.types, matching, source, errors);
  validateConfig(spec.config, errors);
  const metadata = object.metadata as JsonObject | undefined;
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  validateSink(spec.sink, namespace, errors);
  return errors;
}

function validateAnnotations(metadata: unknown, errors: FieldError[]): void {
  const timeout = annotationOf(metadata, PUSH_TIMEOUT_ANNOTATION);
  if (timeout !== undefined && parseTimeoutMs(timeout) === undefined)
    errors.push(
      fieldError(
        key('metadata.annotations', PUSH_TIMEOUT_ANNOTATION),
        `${quote(timeout)} must be a whole number of milliseconds above 0`,
      ),
    );
  const header = annotationOf(metadata, NAME_HEADER_ANNOTATION);
  if (header !== undefined && header !== 'true' && header !== 'false')
    errors.push(
      fieldError(
        key('metadata.annotations', NAME_HEADER_ANNOTATION),
        `${quote(header)} must be "true" or "false"`,
      ),
    );
}

function validateTypeMatching(value: unknown, errors: FieldError[]): TypeMatching | undefined {
  if (isAbsent(value) || value === '') return 'standard';
  if (typeof value === 'string' && (TYPE_MATCHINGS as readonly string[]).includes(value))
    return value as TypeMatching;
  errors.push(fieldError('spec.typeMatching', `${quote(value)} must be "standard" or "exact"`));
  return undefined;
}

function validateSource(value: unknown, matching: TypeMatching | undefined, errors: FieldError[]): string {
  if (matching === 'standard') {
    if (!checkRequiredString(value, 'spec.source', errors)) return '';
  } else if (!checkOptionalString(value, 'spec.source', errors)) return '';
  return value as string;
}

function validateTypes(
  value: unknown,
  matching: TypeMatching | undefined,
  source: string,
  errors: FieldError[],
): void {
  if (isAbsent(value)) {
    errors.push(fieldError('spec.types', 'required'));
    return;
  }
  if (!Array.isArray(value)) {
    errors.push(fieldError('spec.types', `must be a list, not ${describeType(value)}`));
    return;
  }
  if (value.length === 0) errors.push(fieldError('spec.types', 'must not be empty'));
  const seen = new Set<string>();
  value.forEach((type: unknown, i) => {
    const path = item('spec.types', i);
    if (!checkRequiredString(type, path, errors)) return;
    if (seen.has(type)) errors.push(fieldError(path, `${quote(type)} is listed twice`));
    seen.add(type);
    if (type.split('.').length < MIN_TYPE_SEGMENTS)
      errors.push(
        fieldError(path, `${quote(type)} must have at least ${MIN_TYPE_SEGMENTS} segments separated by "."`),
      );
    else if (matching === 'standard') validateStandardType(type, source, path, errors);
  });
}

/** Kyma refuses its own prefix in a standard type: the prefix is added by the cleaning. */
function validateStandardType(type: string, source: string, path: string, errors: FieldError[]): void {
  if (type.startsWith(KYMA_EVENT_TYPE_PREFIX)) {
    errors.push(
      fieldError(
        path,
        `${quote(type)} must not start with ${KYMA_EVENT_TYPE_PREFIX} with typeMatching standard (use exact)`,
      ),
    );
    return;
  }
  if (source === '') return;
  const cleaned = cleanEventType(KYMA_EVENT_TYPE_PREFIX, source, type);
  if ('problem' in cleaned)
    errors.push(fieldError(path, `${quote(type)} cannot be cleaned: ${cleaned.problem}`));
}

function validateConfig(value: unknown, errors: FieldError[]): void {
  if (!checkOptionalObject(value, 'spec.config', errors)) return;
  const inFlight = value[MAX_IN_FLIGHT_KEY];
  const path = `spec.config.${MAX_IN_FLIGHT_KEY}`;
  if (isAbsent(inFlight)) return;
  if (typeof inFlight !== 'string' || parseMaxInFlight(inFlight) === undefined)
    errors.push(
      fieldError(
        path,
        `${quote(inFlight)} must be a stringified whole number from ${MAX_INFLIGHT_MIN} to ${MAX_INFLIGHT_MAX}`,
      ),
    );
}

function validateSink(value: unknown, namespace: string | undefined, errors: FieldError[]): void {
  if (!checkRequiredString(value, 'spec.sink', errors)) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.push(fieldError('spec.sink', `${quote(value)} must be an absolute URL`));
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    errors.push(fieldError('spec.sink', `${quote(value)} must have URL scheme 'http' or 'https'`));
    return;
  }
  if (!url.hostname.endsWith(CLUSTER_LOCAL)) return;
  const labels = url.hostname.slice(0, -CLUSTER_LOCAL.length).split('.');
  if (labels.length !== 2)
    errors.push(
      fieldError('spec.sink', `${quote(value)} must name a Service as <name>.<namespace>${CLUSTER_LOCAL}`),
    );
  else if (namespace !== undefined && labels[1] !== namespace)
    errors.push(
      fieldError(
        'spec.sink',
        `${quote(value)} must be in the Subscription's namespace ${quote(namespace)}, as Kyma requires`,
      ),
    );
}
