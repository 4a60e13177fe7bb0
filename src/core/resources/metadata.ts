/**
 * `metadata` validation shared by every kind, following Kubernetes ObjectMeta rules so that manifests
 * written for a cluster apply unchanged: name syntax per scope, namespace for namespaced kinds, labels and
 * annotations as string maps with qualified keys.
 */
import type { FieldError } from '../errors.js';
import {
  checkOptionalString,
  describeType,
  fieldError,
  isAbsent,
  isObject,
  key,
  quote,
  type JsonObject,
} from './fields.js';
import type { KindDefinition } from './kind.js';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from './names.js';

/** Kubernetes limits the annotations of one object to 256 KiB in total (keys plus values). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const utf8 = new TextEncoder();

/**
 * Validates `metadata`. `info` undefined (unknown kind) still checks what every kind shares.
 * Returns the metadata mapping when it is one, for kind-specific checks of annotations.
 */
export function validateObjectMeta(
  metadata: unknown,
  info: KindDefinition | undefined,
  errors: FieldError[],
): JsonObject | undefined {
  if (isAbsent(metadata)) {
    errors.push(fieldError('metadata.name', 'required'));
    return undefined;
  }
  if (!isObject(metadata)) {
    errors.push(fieldError('metadata', `must be a mapping, not ${describeType(metadata)}`));
    return undefined;
  }
  validateName(metadata.name, info, errors);
  // Cluster-scoped kinds ignore a namespace, as Kubernetes does, so it is not checked for them.
  if (info?.namespaced === true) validateNamespaceField(metadata.namespace, errors);
  validateLabels(metadata.labels, errors);
  validateAnnotations(metadata.annotations, errors);
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp'] as const) {
    checkOptionalString(metadata[field], `metadata.${field}`, errors);
  }
  const generation = metadata.generation;
  if (!isAbsent(generation) && !(Number.isSafeInteger(generation) && (generation as number) >= 0)) {
    errors.push(fieldError('metadata.generation', 'must be a non-negative integer'));
  }
  return metadata;
}

function validateName(name: unknown, info: KindDefinition | undefined, errors: FieldError[]): void {
  if (isAbsent(name) || name === '') {
    errors.push(fieldError('metadata.name', 'required'));
    return;
  }
  if (typeof name !== 'string') {
    errors.push(fieldError('metadata.name', `must be a string, not ${describeType(name)}`));
    return;
  }
  // Namespace names become DNS labels in Kubernetes; every other name is a DNS subdomain.
  const problem =
    info?.nameFormat === 'dns1123-label' ? dns1123LabelProblem(name) : dns1123SubdomainProblem(name);
  if (problem !== undefined) errors.push(fieldError('metadata.name', `${quote(name)} ${problem}`));
}

function validateNamespaceField(namespace: unknown, errors: FieldError[]): void {
  if (isAbsent(namespace) || namespace === '') {
    errors.push(fieldError('metadata.namespace', 'required'));
    return;
  }
  if (typeof namespace !== 'string') {
    errors.push(fieldError('metadata.namespace', `must be a string, not ${describeType(namespace)}`));
    return;
  }
  const problem = dns1123LabelProblem(namespace);
  if (problem !== undefined) errors.push(fieldError('metadata.namespace', `${quote(namespace)} ${problem}`));
}

function validateLabels(labels: unknown, errors: FieldError[]): void {
  if (isAbsent(labels)) return;
  if (!isObject(labels)) {
    errors.push(fieldError('metadata.labels', `must be a mapping, not ${describeType(labels)}`));
    return;
  }
  for (const [name, value] of Object.entries(labels)) {
    const path = key('metadata.labels', name);
    const keyProblem = qualifiedNameProblem(name);
    if (keyProblem !== undefined) errors.push(fieldError(path, `key ${keyProblem}`));
    if (typeof value !== 'string') {
      errors.push(fieldError(path, `must be a string, not ${describeType(value)}`));
      continue;
    }
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) errors.push(fieldError(path, `value ${quote(value)} ${valueProblem}`));
  }
}

function validateAnnotations(annotations: unknown, errors: FieldError[]): void {
  if (isAbsent(annotations)) return;
  if (!isObject(annotations)) {
    errors.push(fieldError('metadata.annotations', `must be a mapping, not ${describeType(annotations)}`));
    return;
  }
  let bytes = 0;
  for (const [name, value] of Object.entries(annotations)) {
    const path = key('metadata.annotations', name);
    const keyProblem = qualifiedNameProblem(name);
    if (keyProblem !== undefined) errors.push(fieldError(path, `key ${keyProblem}`));
    if (typeof value !== 'string') {
      errors.push(fieldError(path, `must be a string, not ${describeType(value)}`));
      continue;
    }
    bytes += utf8.encode(name).length + utf8.encode(value).length;
  }
  if (bytes > ANNOTATIONS_MAX_BYTES) {
    errors.push(
      fieldError('metadata.annotations', `must be no more than ${ANNOTATIONS_MAX_BYTES} bytes in total`),
    );
  }
}

/** An annotation's value when it is a string (validation reports the other cases). */
export function annotationOf(metadata: unknown, name: string): string | undefined {
  if (!isObject(metadata) || !isObject(metadata.annotations)) return undefined;
  const value = metadata.annotations[name];
  return typeof value === 'string' ? value : undefined;
}
