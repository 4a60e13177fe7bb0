/**
 * The routing index of one broker (ARCHITECTURE 3, "Routing cost"): an event's cost must not grow with the
 * number of triggers that do not match it. Each trigger sits in exactly one place:
 * - the bucket of its exact `type` when its effective filter requires one,
 * - else the bucket of its exact `source`,
 * - else the scan list, whose triggers are evaluated for every event.
 * `match` evaluates only the event's type bucket, its source bucket and the scan list. A trigger whose
 * filter is nothing but its bucket's key (`{exact: {type: X}}`, legacy `attributes: {type: X}`) matches
 * every event of its bucket, so its filter is not evaluated. Buckets are arrays: a match walks each with
 * no iterator and touches as few objects as it can, since in a server the index's memory is out of cache
 * between events (BENCHMARKS.md, "S4 routing scale").
 */
import type { CloudEvent } from '../cloudevents/model.js';
import { isOnlyEquality, requiredAttributeValue } from '../cesql/required.js';
import { attributeString } from './attributes.js';
import { compileTriggerFilter, effectiveFilters } from './compile.js';
import { isPlainObject } from './types.js';
import type { CompileOptions, EventPredicate, TriggerFilterSpec } from './types.js';

type IndexKey = { readonly attribute: 'type' | 'source'; readonly value: string } | undefined;

interface Entry<T> {
  readonly key: IndexKey;
  readonly predicate: EventPredicate;
  readonly value: T;
  /** The filter asks nothing but the key: every event of the bucket matches. */
  readonly keyOnly: boolean;
  /** Where the entry sits in its bucket (removal swaps the last one in). */
  slot: number;
}

export interface TriggerIndexOptions {
  /** How a spec becomes a predicate; tests wrap the default to count evaluations. */
  compile?: (spec: TriggerFilterSpec, options: CompileOptions) => EventPredicate;
}

export class TriggerIndex<T> {
  readonly #compile: NonNullable<TriggerIndexOptions['compile']>;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #byType = new Map<string, Entry<T>[]>();
  readonly #bySource = new Map<string, Entry<T>[]>();
  readonly #scan: Entry<T>[] = [];

  constructor(options: TriggerIndexOptions = {}) {
    this.#compile = options.compile ?? compileTriggerFilter;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds or replaces a trigger; `spec` must have passed `validateTriggerFilters`. */
  set(id: string, spec: TriggerFilterSpec, value: T, options: CompileOptions = {}): void {
    // Compile first: a spec that fails to compile leaves the previous version of the trigger in place.
    const compiled = this.#compile(spec, options);
    const key = indexKey(spec);
    const keyOnly = key !== undefined && isKeyOnly(spec, key);
    // A key-only filter is not kept compiled: the key says all it asks, and a CESQL program held per trigger
    // is heap that every major GC marks (10,000 of them: 201-205 against 184-186 MB of RSS).
    const predicate = keyOnly ? keyPredicate(key) : compiled;
    const entry: Entry<T> = {
      key,
      predicate,
      value,
      keyOnly,
      slot: -1,
    };
    this.delete(id);
    this.#entries.set(id, entry);
    const bucket = this.#place(key);
    entry.slot = bucket.length;
    bucket.push(entry);
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    const key = entry.key;
    const bucket = this.#place(key);
    const last = bucket.pop() as Entry<T>;
    if (last !== entry) {
      bucket[entry.slot] = last;
      last.slot = entry.slot;
    }
    if (bucket.length === 0 && key !== undefined) this.#buckets(key).delete(key.value);
  }

  /** The values of every trigger whose filter matches the event (order unspecified). */
  /** The compiled filter of one trigger (e.g. to select events for a replay), undefined when absent. */
  predicate(id: string): EventPredicate | undefined {
    return this.#entries.get(id)?.predicate;
  }

  match(event: CloudEvent): T[] {
    const matched: T[] = [];
    const type = attributeString(event, 'type');
    if (type !== undefined) collect(this.#byType.get(type), event, matched);
    const source = attributeString(event, 'source');
    if (source !== undefined) collect(this.#bySource.get(source), event, matched);
    collect(this.#scan, event, matched);
    return matched;
  }

  /** The bucket of `key` (the scan list for none), made if missing. */
  #place(key: IndexKey): Entry<T>[] {
    if (key === undefined) return this.#scan;
    const buckets = this.#buckets(key);
    let bucket = buckets.get(key.value);
    if (bucket === undefined) {
      bucket = [];
      buckets.set(key.value, bucket);
    }
    return bucket;
  }

  #buckets(key: NonNullable<IndexKey>): Map<string, Entry<T>[]> {
    return key.attribute === 'type' ? this.#byType : this.#bySource;
  }
}

function collect<T>(candidates: readonly Entry<T>[] | undefined, event: CloudEvent, out: T[]): void {
  if (candidates === undefined) return;
  for (let i = 0; i < candidates.length; i++) {
    const entry = candidates[i] as Entry<T>;
    if (entry.keyOnly || entry.predicate(event)) out.push(entry.value);
  }
}

/** The filter of a key-only trigger, for whoever asks for it (`predicate`, a replay's selection). */
function keyPredicate(key: NonNullable<IndexKey>): EventPredicate {
  const { attribute, value } = key;
  return (event) => attributeString(event, attribute) === value;
}

/**
 * Whether the effective filter is exactly `key` and nothing else: legacy `attributes` holding that one
 * attribute, a single `{exact: {...}}` entry holding that one attribute, or a single `{cesql}` entry that
 * is that one equality.
 */
function isKeyOnly(spec: TriggerFilterSpec, key: NonNullable<IndexKey>): boolean {
  const effective = effectiveFilters(spec);
  if (effective === undefined) return false;
  const only = (fields: unknown): boolean =>
    isPlainObject(fields) && Object.keys(fields).length === 1 && fields[key.attribute] === key.value;
  if ('legacy' in effective) return only(effective.legacy);
  if (effective.filters.length !== 1) return false;
  const [entry] = effective.filters;
  if (!isPlainObject(entry) || Object.keys(entry).length !== 1) return false;
  if (typeof entry.cesql === 'string') return isOnlyEquality(entry.cesql, key.attribute, key.value);
  return only(entry.exact);
}

/**
 * The attribute value every matching event must carry, when the effective filter demands one at top level:
 * legacy `attributes.type` (not `""`, which only asks for presence), a top-level `{exact: {type}}` entry
 * (top-level entries are ANDed) or a top-level `{cesql}` entry that requires `type = '...'` (see
 * cesql/required.ts), else the same for `source`.
 */
function indexKey(spec: TriggerFilterSpec): IndexKey {
  const effective = effectiveFilters(spec);
  if (effective === undefined) return undefined;
  const required = (attribute: 'type' | 'source'): string | undefined => {
    if ('legacy' in effective) {
      const value = effective.legacy[attribute];
      return typeof value === 'string' && value !== '' ? value : undefined;
    }
    for (const entry of effective.filters) {
      const value = requiredByEntry(entry, attribute);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const type = required('type');
  if (type !== undefined) return { attribute: 'type', value: type };
  const source = required('source');
  if (source !== undefined) return { attribute: 'source', value: source };
  return undefined;
}

/** The value one top-level filter entry requires of `attribute`, when it requires one. */
function requiredByEntry(entry: unknown, attribute: 'type' | 'source'): string | undefined {
  if (!isPlainObject(entry) || Object.keys(entry).length !== 1) return undefined;
  if (isPlainObject(entry.exact)) {
    const value = entry.exact[attribute];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  // Validated specs only reach the index, so the expression parses.
  if (typeof entry.cesql === 'string') return requiredAttributeValue(entry.cesql, attribute);
  return undefined;
}
