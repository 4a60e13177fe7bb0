/**
 * KReferences to ConfigMaps (knative-specs control-plane.md, KReference: apiVersion, kind and name are
 * REQUIRED, namespace defaults to the referring object's). A Broker's `spec.config` and the entries of
 * `config-br-defaults` are such references; cemesh reads broker configuration from ConfigMaps only.
 */
import type { FieldError } from '../errors.js';
import {
  checkRequiredString,
  child,
  fieldError,
  isAbsent,
  isObject,
  quote,
  type JsonObject,
} from './fields.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names.js';

export interface ConfigMapRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

const REF_FIELDS = ['apiVersion', 'kind', 'name', 'namespace'] as const;

/** True when a mapping holds any KReference field (a config-br-defaults entry may hold none). */
export function hasReferenceFields(value: JsonObject): boolean {
  return REF_FIELDS.some((field) => !isAbsent(value[field]));
}

/** Validates the reference fields of `value`, reporting them under `path`. */
export function validateConfigMapRef(value: JsonObject, path: string, errors: FieldError[]): void {
  const { apiVersion, kind, name, namespace } = value;
  const kindOk = checkRequiredString(kind, child(path, 'kind'), errors);
  if (kindOk && kind !== 'ConfigMap') {
    errors.push(
      fieldError(
        child(path, 'kind'),
        `must be ConfigMap (cemesh reads broker configuration from ConfigMaps), not ${quote(kind)}`,
      ),
    );
  }
  if (checkRequiredString(apiVersion, child(path, 'apiVersion'), errors) && apiVersion !== 'v1') {
    errors.push(fieldError(child(path, 'apiVersion'), `ConfigMap is served as v1, not ${quote(apiVersion)}`));
  }
  if (checkRequiredString(name, child(path, 'name'), errors)) {
    const problem = dns1123SubdomainProblem(name);
    if (problem !== undefined) errors.push(fieldError(child(path, 'name'), `${quote(name)} ${problem}`));
  }
  if (!isAbsent(namespace) && namespace !== '') {
    if (typeof namespace !== 'string') {
      errors.push(fieldError(child(path, 'namespace'), 'must be a string'));
    } else {
      const problem = dns1123LabelProblem(namespace);
      if (problem !== undefined)
        errors.push(fieldError(child(path, 'namespace'), `${quote(namespace)} ${problem}`));
    }
  }
}

/** Reads a validated reference; `defaultNamespace` fills an absent or empty namespace. */
export function readConfigMapRef(
  value: unknown,
  defaultNamespace: string,
): Required<ConfigMapRef> | undefined {
  if (!isObject(value)) return undefined;
  const { apiVersion, kind, name, namespace } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string')
    return undefined;
  return {
    apiVersion,
    kind,
    name,
    namespace: typeof namespace === 'string' && namespace !== '' ? namespace : defaultNamespace,
  };
}
