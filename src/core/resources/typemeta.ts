/**
 * Resolving an object's `apiVersion` and `kind` to a served kind, with messages that name both when they
 * do not fit (ARCHITECTURE 2.4: unknown kinds get a clear error naming the kind).
 */
import type { FieldError } from '../errors.js';
import { fieldError, isAbsent, quote } from './fields.js';
import { servedApiVersions, type KindDefinition } from './kind.js';
import { allKinds, findKindOf, servedKindOf, type ServedKind } from './registry.js';

export { servedKindOf };

/** The kind of an object (any served version), or undefined. */
export function kindInfoOf(object: {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
}): KindDefinition | undefined {
  return servedKindOf(object)?.kind;
}

/** Validates `apiVersion` and `kind`; returns the kind when both are good. */
export function validateTypeMeta(
  object: Record<string, unknown>,
  errors: FieldError[],
): ServedKind | undefined {
  const { apiVersion, kind } = object;
  let ok = true;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    errors.push(
      fieldError('apiVersion', isAbsent(apiVersion) || apiVersion === '' ? 'required' : 'must be a string'),
    );
    ok = false;
  }
  if (typeof kind !== 'string' || kind === '') {
    errors.push(fieldError('kind', isAbsent(kind) || kind === '' ? 'required' : 'must be a string'));
    ok = false;
  }
  if (!ok || typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const served = findKindOf(apiVersion, kind);
  if (served !== undefined) return served;
  const sameName = allKinds().find((k) => k.kind.toLowerCase() === kind.toLowerCase());
  if (sameName !== undefined) {
    errors.push(
      fieldError(
        'apiVersion',
        `${sameName.kind} is served as ${servedApiVersions(sameName).join(', ')}, not ${apiVersion}`,
      ),
    );
  } else {
    errors.push(fieldError('kind', `unknown kind ${quote(kind)} in ${apiVersion}`));
  }
  return undefined;
}
