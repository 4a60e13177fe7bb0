/**
 * Compiles a validated Trigger filter spec into one predicate, once per trigger (STYLE 1, after Knative's
 * `pkg/eventfilter/subscriptionsapi/create.go`): the hot path never re-reads the spec.
 */
import { compileAll } from './all.js';
import { compileAny } from './any.js';
import { compileCesqlFilter } from './cesql.js';
import { compileExact } from './exact.js';
import { compileLegacyAttributes } from './legacy.js';
import { compileNot } from './not.js';
import { compilePrefix } from './prefix.js';
import { compileSuffix } from './suffix.js';
import { DIALECTS, isDialect, isPlainObject } from './types.js';
import type { CompileOptions, EventPredicate, TriggerFilterSpec } from './types.js';

const matchEverything: EventPredicate = () => true;

/**
 * The filter that decides, ARCHITECTURE 3: a non-empty `spec.filters` list (all of its entries must pass),
 * else the legacy `spec.filter.attributes`, else nothing (every event matches).
 */
export function effectiveFilters(
  spec: TriggerFilterSpec,
): { filters: readonly unknown[] } | { legacy: Readonly<Record<string, string>> } | undefined {
  if (Array.isArray(spec.filters) && spec.filters.length > 0) return { filters: spec.filters };
  const attributes = spec.filter?.attributes;
  if (isPlainObject(attributes)) return { legacy: attributes as Record<string, string> };
  return undefined;
}

/** Compiles a spec that `validateTriggerFilters` accepted; throws on a shape validation would have refused. */
export function compileTriggerFilter(spec: TriggerFilterSpec, options: CompileOptions = {}): EventPredicate {
  const effective = effectiveFilters(spec);
  if (effective === undefined) return matchEverything;
  if ('legacy' in effective) return compileLegacyAttributes(effective.legacy);
  return compileAll(effective.filters.map((entry) => compileEntry(entry, options)));
}

function compileEntry(entry: unknown, options: CompileOptions): EventPredicate {
  if (!isPlainObject(entry)) throw new TypeError('a filter must be an object; validate the spec first');
  const keys = Object.keys(entry);
  const dialect = keys[0];
  if (keys.length !== 1 || dialect === undefined || !isDialect(dialect)) {
    throw new TypeError(`a filter must hold exactly one of ${DIALECTS.join(', ')}; validate the spec first`);
  }
  const value = entry[dialect];
  switch (dialect) {
    case 'exact':
      return compileExact(stringMap(value));
    case 'prefix':
      return compilePrefix(stringMap(value));
    case 'suffix':
      return compileSuffix(stringMap(value));
    case 'all':
      return compileAll(list(value).map((nested) => compileEntry(nested, options)));
    case 'any':
      return compileAny(list(value).map((nested) => compileEntry(nested, options)));
    case 'not':
      return compileNot(compileEntry(value, options));
    case 'cesql':
      if (typeof value !== 'string') throw new TypeError('cesql must be a string; validate the spec first');
      return compileCesqlFilter(value, options.onCesqlError);
  }
}

function stringMap(value: unknown): Record<string, string> {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    throw new TypeError('exact, prefix and suffix need a non-empty object; validate the spec first');
  }
  return value as Record<string, string>;
}

function list(value: unknown): readonly unknown[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError('all and any need a non-empty list; validate the spec first');
  }
  return value;
}
