/**
 * The resource store semantics shared by the memory and embedded backends: objects by (kind, namespace,
 * name), one global resourceVersion counter (decimal strings, +1 per change), optimistic concurrency on
 * replace, list ordered by namespace then name, and watch through a bounded change log.
 *
 * Persistence is a synchronous hook: it runs before a change becomes visible, and a throw from it leaves
 * the store unchanged (the embedded backend writes the changes it is given in one SQLite transaction there).
 * `writeMany` hands it every change of the batch at once.
 */
import { MeshError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/object.js';
import type {
  ResourceKey,
  ResourceStore,
  StoreWrite,
  StoreWriteOutcome,
  WatchEvent,
  WatchEventType,
} from '../contracts.js';
import { WatchHub, type Change } from './watch-hub.js';
import { setOwnKey } from '../../core/own-key.js';

export interface ResourceWrite {
  readonly type: WatchEventType;
  readonly key: ResourceKey;
  readonly rv: number;
  /** The object as stored; for DELETED the last stored object, carrying the deletion's resourceVersion. */
  readonly object: Resource;
  /** For MODIFIED and DELETED: the resourceVersion of the object this write replaces or deletes. */
  readonly replaces?: number;
}

export interface VersionedStoreOptions {
  /** Initial content (each object carrying its resourceVersion). */
  readonly objects?: readonly Resource[];
  /** The resourceVersion of the latest change (0 when none). */
  readonly version?: number;
  /** Retained changes for resuming watches, oldest first. */
  readonly changes?: readonly Change[];
  /** The highest resourceVersion whose change is no longer retained. */
  readonly compactedThrough?: number;
  /** How many changes are retained for resuming watches (default 10,000). */
  readonly changeLogSize?: number;
  /** Stores the changes, in order, all or nothing; throws to refuse them all. */
  readonly persist?: (writes: readonly ResourceWrite[]) => void;
  readonly onClose?: () => void;
}

export const DEFAULT_CHANGE_LOG_SIZE = 10_000;

export function storageKey(key: ResourceKey): string {
  return `${key.kind}\u0000${key.namespace ?? ''}\u0000${key.name}`;
}

export function keyOf(object: Resource): ResourceKey {
  const namespace = object.metadata.namespace;
  return namespace
    ? { kind: object.kind, namespace, name: object.metadata.name }
    : { kind: object.kind, name: object.metadata.name };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byNamespaceThenName(a: Resource, b: Resource): number {
  return (
    compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareStrings(a.metadata.name, b.metadata.name)
  );
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function describe(key: ResourceKey): string {
  return key.namespace ? `${key.kind} ${key.namespace}/${key.name}` : `${key.kind} ${key.name}`;
}

function withVersion(object: Resource, rv: number): Resource {
  const metadata = frozenCopy(object.metadata, { resourceVersion: String(rv) });
  return frozenCopy(object, { metadata }) as Resource;
}

/**
 * A deeply frozen copy the caller cannot change afterwards, made in one pass: frozen parts (taken from stored
 * objects, which are deeply frozen, such as the spec a status write carries along) are shared as they are,
 * the rest is copied and frozen. Resources are JSON data; a status write then copies its status, not the
 * whole object as structuredClone did. `overrides` replace (or add, at the end) top-level keys of the copy.
 */
function frozenCopy(value: unknown, overrides?: Readonly<Record<string, unknown>>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (overrides === undefined && Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = frozenCopy(value[i]);
    return Object.freeze(items);
  }
  // for-in with hasOwn, plain assignment but for `__proto__`: every object written passes here, and
  // Object.keys' array and a call per key made it 25-40% slower (BENCHMARKS.md, tenth session).
  const copy: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const field =
      overrides !== undefined && Object.hasOwn(overrides, key) ? overrides[key] : frozenCopy(source[key]);
    if (key === '__proto__') setOwnKey(copy, key, field);
    else copy[key] = field;
  }
  if (overrides !== undefined)
    for (const key in overrides)
      if (Object.hasOwn(overrides, key) && !Object.hasOwn(source, key)) setOwnKey(copy, key, overrides[key]);
  return Object.freeze(copy);
}

/** A stored object's resourceVersion as the number the store counts in. */
function versionOf(stored: Resource): number {
  return Number(stored.metadata.resourceVersion);
}

function checkShape(object: Resource): void {
  if (typeof object?.kind !== 'string' || object.kind === '') {
    throw new MeshError('MESH_RESOURCE_INVALID', 'kind is required', {
      causes: [{ field: 'kind', message: 'Required value' }],
    });
  }
  if (typeof object.metadata?.name !== 'string' || object.metadata.name === '') {
    throw new MeshError('MESH_RESOURCE_INVALID', 'metadata.name is required', {
      causes: [{ field: 'metadata.name', message: 'Required value' }],
    });
  }
}

export class VersionedResourceStore implements ResourceStore {
  /** kind -> storage key -> frozen object. */
  private readonly byKind = new Map<string, Map<string, Resource>>();
  private version: number;
  private readonly hub: WatchHub;
  private closed = false;

  constructor(private readonly options: VersionedStoreOptions = {}) {
    for (const object of options.objects ?? [])
      this.kindMap(object.kind).set(storageKey(keyOf(object)), deepFreeze(object));
    this.version = options.version ?? 0;
    this.hub = new WatchHub({
      capacity: options.changeLogSize ?? DEFAULT_CHANGE_LOG_SIZE,
      changes: options.changes ?? [],
      compactedThrough: options.compactedThrough ?? 0,
    });
  }

  async get(key: ResourceKey): Promise<Resource | undefined> {
    this.checkOpen();
    const found = this.byKind.get(key.kind)?.get(storageKey(key));
    return found;
  }

  async list(kind: string, namespace?: string): Promise<Resource[]> {
    this.checkOpen();
    const all = [...(this.byKind.get(kind)?.values() ?? [])];
    const selected =
      namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? '') === namespace);
    return selected.sort(byNamespaceThenName);
  }

  async create(object: Resource): Promise<Resource> {
    this.checkOpen();
    return this.commitOne(this.prepare({ op: 'create', object }));
  }

  async replace(object: Resource): Promise<Resource> {
    this.checkOpen();
    return this.commitOne(this.prepare({ op: 'replace', object }));
  }

  async writeMany(writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]> {
    this.checkOpen();
    // Later entries see earlier ones: a batch that creates then replaces one object works as two calls would.
    const pending = new Map<string, Resource>();
    const prepared: ResourceWrite[] = [];
    const outcomes: StoreWriteOutcome[] = writes.map((write) => {
      try {
        const change = this.prepare(write, pending, this.version + prepared.length + 1);
        pending.set(storageKey(change.key), change.object);
        prepared.push(change);
        return { object: change.object };
      } catch (error) {
        return { error };
      }
    });
    try {
      this.commit(prepared);
    } catch (error) {
      return outcomes.map((outcome) => ('object' in outcome ? { error } : outcome));
    }
    return outcomes;
  }

  async delete(key: ResourceKey): Promise<Resource | undefined> {
    this.checkOpen();
    const current = this.byKind.get(key.kind)?.get(storageKey(key));
    if (current === undefined) return undefined;
    const rv = this.version + 1;
    const replaces = versionOf(current);
    this.commit([{ type: 'DELETED', key: keyOf(current), rv, object: withVersion(current, rv), replaces }]);
    return current;
  }

  currentVersion(): string {
    return String(this.version);
  }

  watch(options: { since?: string; signal: AbortSignal }): AsyncIterable<WatchEvent> {
    this.checkOpen();
    return this.hub.watch(options.since, this.version, options.signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
    this.options.onClose?.();
  }

  /**
   * Checks a create or replace against what is stored (and `pending`, the batch's earlier entries) and makes
   * the change it stores, at resourceVersion `rv`. Throws what `create` or `replace` throws.
   */
  private prepare(
    { op, object }: StoreWrite,
    pending?: ReadonlyMap<string, Resource>,
    rv = this.version + 1,
  ): ResourceWrite {
    checkShape(object);
    const key = keyOf(object);
    const skey = storageKey(key);
    const current = pending?.get(skey) ?? this.byKind.get(key.kind)?.get(skey);
    if (op === 'create') {
      if (current !== undefined)
        throw new MeshError('MESH_RESOURCE_EXISTS', `${describe(key)} already exists`);
      return { type: 'ADDED', key, rv, object: withVersion(object, rv) };
    }
    if (current === undefined) throw new MeshError('MESH_RESOURCE_NOT_FOUND', `${describe(key)} not found`);
    const expected = object.metadata.resourceVersion;
    if (expected !== undefined && expected !== current.metadata.resourceVersion) {
      throw new MeshError(
        'MESH_RESOURCE_CONFLICT',
        `${describe(key)} has been modified (resourceVersion ${current.metadata.resourceVersion ?? ''}, ` +
          `request names ${expected}); get the latest version and try again`,
      );
    }
    return { type: 'MODIFIED', key, rv, object: withVersion(object, rv), replaces: versionOf(current) };
  }

  private commitOne(change: ResourceWrite): Resource {
    this.commit([change]);
    return change.object;
  }

  /** Persists the changes, then makes them visible and tells the watchers, in order. */
  private commit(changes: readonly ResourceWrite[]): void {
    if (changes.length === 0) return;
    this.options.persist?.(changes);
    for (const { type, key, rv, object } of changes) {
      this.version = rv;
      const objects = this.kindMap(key.kind);
      if (type === 'DELETED') objects.delete(storageKey(key));
      else objects.set(storageKey(key), object);
      this.hub.record({ rv, type, object });
    }
  }

  private kindMap(kind: string): Map<string, Resource> {
    let objects = this.byKind.get(kind);
    if (objects === undefined) {
      objects = new Map();
      this.byKind.set(kind, objects);
    }
    return objects;
  }

  private checkOpen(): void {
    if (this.closed) throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'The resource store is closed.');
  }
}
