/**
 * The shape of a kind's objects as data, in the subset of OpenAPI v3 that a CustomResourceDefinition's
 * `openAPIV3Schema` uses, and the one check cemesh makes with it: which fields an object may hold. Every
 * field a schema does not declare is unknown (Kubernetes' structural pruning, and its strict field
 * validation when that is asked for); a declared field marked `x-cemesh-not-supported` is one Knative or
 * Kyma has and cemesh refuses, with the reason. Types and values are each kind's `validate`, which gives
 * better messages than a schema can. Shared parts are `$ref`s into `components`, as the OpenAPI v3
 * documents of the Kubernetes API server write them, so a schema stays plain, serialisable data.
 */
import type { FieldError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { child, fieldError, isAbsent, isObject, item, type JsonObject } from './fields.js';

export interface Schema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly description?: string;
  readonly format?: string;
  readonly required?: readonly string[];
  /** The fields of a mapping. */
  readonly properties?: Readonly<Record<string, Schema>>;
  /** The values of a map whose keys are free (labels, filter attributes). */
  readonly additionalProperties?: Schema;
  readonly items?: Schema;
  /** `#/components/schemas/<name>`: a shared part, found in the kind's `components`. */
  readonly $ref?: string;
  /** Any field is kept under this mapping (Kubernetes' escape hatch; cemesh uses it for `status`). */
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** Declared by Knative or Kyma, refused by cemesh: why, said to whoever sets the field. */
  readonly 'x-cemesh-not-supported'?: string;
}

/** A kind's schema: the object's, and the shared parts its `$ref`s name. */
export interface KindSchema {
  readonly openAPIV3Schema: Schema;
  readonly components: Readonly<Record<string, Schema>>;
}

export const REF_PREFIX = '#/components/schemas/';

/** `{ $ref: '#/components/schemas/<name>' }`. */
export function ref(name: string): Schema {
  return { $ref: `${REF_PREFIX}${name}` };
}

export interface UnknownField {
  readonly path: string;
  readonly name: string;
  /** The fields the mapping it was found in may hold, for "did you mean". */
  readonly known: readonly string[];
}

export interface FieldCheck {
  /** Fields the schema does not declare, in document order. */
  readonly unknown: readonly UnknownField[];
  /** Declared fields cemesh refuses, with the reason. */
  readonly unsupported: readonly FieldError[];
  /** A copy of the value without its unknown fields. */
  readonly pruned: unknown;
}

/** Walks `value` along `schema` (whose root is at `path`). Pure; the value is not changed. */
export function checkFields(value: unknown, schema: KindSchema, path = ''): FieldCheck {
  const found = { unknown: [] as UnknownField[], unsupported: [] as FieldError[], prune: true };
  const pruned = walk(value, schema.openAPIV3Schema, path, schema.components, found);
  return { unknown: found.unknown, unsupported: found.unsupported, pruned };
}

/** The errors of strict field validation: each unknown field, then each refused one. */
export function fieldErrors(value: unknown, schema: KindSchema, path = ''): FieldError[] {
  // Every write is checked this way: no pruned copy is built, only the errors are wanted.
  const found = { unknown: [] as UnknownField[], unsupported: [] as FieldError[], prune: false };
  walk(value, schema.openAPIV3Schema, path, schema.components, found);
  return [...found.unknown.map(unknownFieldError), ...found.unsupported];
}

/** `unknown field (did you mean "attributes"?)`, or the fields the mapping holds when none is close. */
export function unknownFieldError(field: UnknownField): FieldError {
  const hint = didYouMean(field.name, field.known);
  const holds = field.known.length === 0 ? 'no fields' : field.known.join(', ');
  return fieldError(
    field.path,
    hint === '' ? `unknown field; this mapping holds ${holds}` : `unknown field${hint}`,
  );
}

interface Found {
  readonly unknown: UnknownField[];
  readonly unsupported: FieldError[];
  /** Whether `walk` returns a copy without the unknown fields; else it returns the value as it is. */
  readonly prune: boolean;
}

function walk(
  value: unknown,
  given: Schema,
  path: string,
  components: KindSchema['components'],
  found: Found,
): unknown {
  const schema = resolve(given, components);
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items === undefined) return value;
    if (!found.prune) {
      value.forEach((v, i) => walk(v, items, item(path, i), components, found));
      return value;
    }
    return value.map((v, i) => walk(v, items, item(path, i), components, found));
  }
  // A value of another type than the schema's is the kind's validation to report.
  if (!isObject(value) || !describesMapping(schema)) return value;
  const properties = schema.properties ?? NO_PROPERTIES;
  // Without pruning the fields are only walked for their errors, and `value` is returned as it is.
  const result: JsonObject | undefined = found.prune ? {} : undefined;
  for (const name of Object.keys(value)) {
    const field = value[name];
    const declared = Object.hasOwn(properties, name) ? properties[name] : schema.additionalProperties;
    let kept: unknown = field;
    if (declared !== undefined) {
      // Read before resolving: the mark sits beside a `$ref` (`brokerRef` is a KReference cemesh refuses).
      const refused = declared['x-cemesh-not-supported'];
      // A refused field is refused whole: what it holds is not looked at.
      if (refused !== undefined && !isAbsent(field))
        found.unsupported.push(fieldError(child(path, name), refused));
      // A scalar holds no fields to check; every object written passes here, so its path is built only
      // for what is walked into.
      else if (typeof field === 'object' && field !== null)
        kept = walk(field, declared, child(path, name), components, found);
    } else if (schema['x-kubernetes-preserve-unknown-fields'] !== true) {
      found.unknown.push({ path: child(path, name), name, known: servedFields(properties) });
      continue;
    }
    if (result !== undefined) result[name] = kept;
  }
  return result ?? value;
}

const NO_PROPERTIES: Readonly<Record<string, Schema>> = Object.freeze({});

/** The declared fields cemesh serves, offered in messages (a refused one would be no help). */
function servedFields(properties: Readonly<Record<string, Schema>>): string[] {
  return Object.keys(properties).filter((name) => properties[name]?.['x-cemesh-not-supported'] === undefined);
}

function describesMapping(schema: Schema): boolean {
  return (
    schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined
  );
}

/** Each kind's `$ref`s, resolved once: a schema is static data, and every object written walks it. */
const resolvedRefs = new WeakMap<KindSchema['components'], Map<string, Schema>>();

function resolve(schema: Schema, components: KindSchema['components']): Schema {
  const ref = schema.$ref;
  if (ref === undefined) return schema;
  let resolved = resolvedRefs.get(components);
  if (resolved === undefined) resolvedRefs.set(components, (resolved = new Map()));
  let target = resolved.get(ref);
  if (target === undefined) {
    const name = ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
    const named = name === undefined ? undefined : components[name];
    // A schema naming a part it does not carry is a programming error in a kind folder, caught by its tests.
    if (named === undefined) throw new Error(`schema reference ${ref} is not among the components`);
    target = resolve(named, components);
    resolved.set(ref, target);
  }
  return target;
}
