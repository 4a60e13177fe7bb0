/**
 * Function rules (`serverless.kyma-project.io/v1alpha2`, as Kyma's CRD validates it), restricted to what cemesh
 * runs: inline Node.js sources on nodejs20 or nodejs22. Fields Kyma has that need containers or Git
 * (gitRepository, secretMounts, security contexts, runtimeImageOverride, Secrets in env) are refused with the
 * reason, and unknown fields are refused, by the kind's schema (`schema.ts`): nothing in a Function is
 * silently ignored.
 */
import type { FieldError } from '../../errors.js';
import {
  checkOptionalObject,
  checkOptionalString,
  checkRequiredString,
  checkStringMap,
  child,
  describeType,
  fieldError,
  isAbsent,
  isObject,
  item,
  key,
  quote,
  type JsonObject,
} from '../fields.js';
import { MEMORY_PROFILES, memoryQuantityMb, RESERVED_ENV, SUPPORTED_RUNTIMES } from './spec.js';

const BUILD_PROFILES = ['local-dev', 'slow', 'normal', 'fast'];

export function validateFunction(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = object.spec;
  if (isAbsent(spec)) return [fieldError('spec', 'required')];
  if (!checkOptionalObject(spec, 'spec', errors)) return errors;
  validateRuntime(spec.runtime, errors);
  validateSource(spec.source, errors);
  validateEnv(spec.env, errors);
  checkCount(spec.replicas, 'spec.replicas', 0, errors);
  validateScaleConfig(spec.scaleConfig, errors);
  validateResources(spec.resourceConfiguration, errors);
  validatePodMap(spec.labels, 'spec.labels', errors);
  validatePodMap(spec.annotations, 'spec.annotations', errors);
  return errors;
}

function validateRuntime(runtime: unknown, errors: FieldError[]): void {
  if (!checkRequiredString(runtime, 'spec.runtime', errors)) return;
  if ((SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return;
  const kyma = runtime === 'nodejs24' || runtime === 'python312';
  errors.push(
    fieldError(
      'spec.runtime',
      `${quote(runtime)} ${kyma ? 'is a Kyma runtime cemesh does not run' : 'is not a runtime'}: use one of ${SUPPORTED_RUNTIMES.join(', ')}`,
    ),
  );
}

function validateSource(source: unknown, errors: FieldError[]): void {
  if (isAbsent(source)) {
    errors.push(fieldError('spec.source', 'required'));
    return;
  }
  if (!checkOptionalObject(source, 'spec.source', errors)) return;
  const inline = source.inline;
  if (isAbsent(inline)) {
    if (isAbsent(source.gitRepository)) errors.push(fieldError('spec.source.inline', 'required'));
    return;
  }
  if (!checkOptionalObject(inline, 'spec.source.inline', errors)) return;
  checkRequiredString(inline.source, 'spec.source.inline.source', errors);
  if (checkOptionalString(inline.dependencies, 'spec.source.inline.dependencies', errors))
    validateDependencies(inline.dependencies, errors);
}

/** The dependencies are a package.json text: a JSON object whose `dependencies` map names to versions. */
function validateDependencies(text: string, errors: FieldError[]): void {
  const path = 'spec.source.inline.dependencies';
  if (text.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    errors.push(fieldError(path, `must be a package.json text: ${(error as Error).message}`));
    return;
  }
  if (!isObject(parsed)) {
    errors.push(fieldError(path, `must be a package.json object, not ${describeType(parsed)}`));
    return;
  }
  checkStringMap(parsed.dependencies, `${path}.dependencies`, errors);
}

function validateEnv(env: unknown, errors: FieldError[]): void {
  if (isAbsent(env)) return;
  if (!Array.isArray(env)) {
    errors.push(fieldError('spec.env', `must be a list, not ${describeType(env)}`));
    return;
  }
  env.forEach((variable: unknown, i) => {
    const path = item('spec.env', i);
    if (!checkOptionalObject(variable, path, errors)) return;
    if (
      checkRequiredString(variable.name, child(path, 'name'), errors) &&
      RESERVED_ENV.includes(variable.name)
    )
      errors.push(fieldError(child(path, 'name'), `${variable.name} is reserved for the runtime`));
    checkOptionalString(variable.value, child(path, 'value'), errors);
    if (!checkOptionalObject(variable.valueFrom, child(path, 'valueFrom'), errors)) return;
    if (!isAbsent(variable.value))
      errors.push(fieldError(child(path, 'valueFrom'), 'may not be given together with value'));
    const fromPath = child(path, 'valueFrom');
    const ref = variable.valueFrom.configMapKeyRef;
    const refPath = child(fromPath, 'configMapKeyRef');
    if (isAbsent(ref)) {
      if (Object.keys(variable.valueFrom).length === 0) errors.push(fieldError(refPath, 'required'));
      return;
    }
    if (!checkOptionalObject(ref, refPath, errors)) return;
    checkRequiredString(ref.name, child(refPath, 'name'), errors);
    checkRequiredString(ref.key, child(refPath, 'key'), errors);
    if (!isAbsent(ref.optional) && typeof ref.optional !== 'boolean')
      errors.push(
        fieldError(child(refPath, 'optional'), `must be a boolean, not ${describeType(ref.optional)}`),
      );
  });
}

function checkCount(value: unknown, path: string, minimum: number, errors: FieldError[]): value is number {
  if (isAbsent(value)) return false;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    errors.push(fieldError(path, `must be an integer of at least ${minimum}, not ${quote(value)}`));
    return false;
  }
  return true;
}

function validateScaleConfig(scale: unknown, errors: FieldError[]): void {
  if (!checkOptionalObject(scale, 'spec.scaleConfig', errors)) return;
  const min = checkCount(scale.minReplicas, 'spec.scaleConfig.minReplicas', 1, errors);
  const max = checkCount(scale.maxReplicas, 'spec.scaleConfig.maxReplicas', 1, errors);
  if (min && max && (scale.minReplicas as number) > (scale.maxReplicas as number))
    errors.push(fieldError('spec.scaleConfig.maxReplicas', 'must not be less than minReplicas'));
}

function validateResources(config: unknown, errors: FieldError[]): void {
  const path = 'spec.resourceConfiguration';
  if (!checkOptionalObject(config, path, errors)) return;
  validateRequirements(config.function, child(path, 'function'), Object.keys(MEMORY_PROFILES), errors);
  validateRequirements(config.build, child(path, 'build'), BUILD_PROFILES, errors);
}

function validateRequirements(
  value: unknown,
  path: string,
  profiles: readonly string[],
  errors: FieldError[],
): void {
  if (!checkOptionalObject(value, path, errors)) return;
  if (!isAbsent(value.profile) && !isAbsent(value.resources))
    errors.push(fieldError(path, 'use profile or resources, not both'));
  if (checkOptionalString(value.profile, child(path, 'profile'), errors) && !profiles.includes(value.profile))
    errors.push(
      fieldError(child(path, 'profile'), `${quote(value.profile)} is not one of ${profiles.join(', ')}`),
    );
  const resources = value.resources;
  if (!checkOptionalObject(resources, child(path, 'resources'), errors)) return;
  for (const part of ['limits', 'requests']) {
    const partPath = child(child(path, 'resources'), part);
    if (!checkOptionalObject(resources[part], partPath, errors)) continue;
    const memory = resources[part].memory;
    if (
      !isAbsent(memory) &&
      ((typeof memory !== 'string' && typeof memory !== 'number') || memoryQuantityMb(memory) === undefined)
    )
      errors.push(
        fieldError(child(partPath, 'memory'), `${quote(memory)} is not a memory quantity such as 512Mi`),
      );
  }
}

/** Pod labels and annotations as Kyma's CRD checks them: no keys of Kyma's own, values up to 63 characters. */
function validatePodMap(value: unknown, path: string, errors: FieldError[]): void {
  if (!checkStringMap(value, path, errors)) return;
  for (const [name, entry] of Object.entries(value)) {
    if (name.startsWith('serverless.kyma-project.io/'))
      errors.push(fieldError(key(path, name), 'keys starting with serverless.kyma-project.io/ are reserved'));
    if (path === 'spec.labels' && String(entry).length > 63)
      errors.push(fieldError(key(path, name), 'must be at most 63 characters'));
  }
}
