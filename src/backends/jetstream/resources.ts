/**
 * The resource store on a JetStream KV bucket (`<prefix>-resources`). resourceVersion is the KV revision
 * (the bucket stream's sequence: one global, increasing counter across every replica); optimistic
 * concurrency is a KV update that names the revision it expects; watches are KV watches resumed from a
 * revision. A deletion is written as a tombstone value holding the deleted object, so a watcher gets
 * DELETED with the object and the deletion's resourceVersion (ARCHITECTURE 2.4), and so every key's
 * latest change, deletions included, stays in the bucket for resuming watches
 * (docs/decisions/jetstream-resources.md).
 */
import { StorageType } from '@nats-io/jetstream';
import { Kvm, KvWatchInclude, type KV } from '@nats-io/kv';
import { MeshError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/object.js';
import type {
  ResourceKey,
  ResourceStore,
  StoreWrite,
  StoreWriteOutcome,
  WatchEvent,
} from '../../store/contracts.js';
import { keyOf } from '../../store/resources/versioned-store.js';
import type { SharedConnection } from './connection.js';
import { API_WRONG_LAST_SEQUENCE, hasApiCode, toMeshError } from './errors.js';
import { resourceBucket, resourceBucketStream, resourceKey } from './names.js';
import { decodeEntry, encodeChange, ResourceMirror, type StoredChange } from './resource-mirror.js';
import { createdByAnother, waitForLeader } from './leader.js';

/** Attempts of a read-then-conditional-write before giving up on a key other replicas keep changing. */
const WRITE_ATTEMPTS = 5;

function describe(key: ResourceKey): string {
  return key.namespace ? `${key.kind} ${key.namespace}/${key.name}` : `${key.kind} ${key.name}`;
}

function checkShape(object: Resource): void {
  const missing =
    typeof object?.kind !== 'string' || object.kind === ''
      ? 'kind'
      : typeof object.metadata?.name !== 'string' || object.metadata.name === ''
        ? 'metadata.name'
        : undefined;
  if (missing !== undefined) {
    throw new MeshError('MESH_RESOURCE_INVALID', `${missing} is required`, {
      causes: [{ field: missing, message: 'Required value' }],
    });
  }
}

/** The object as stored: without resourceVersion, which is the KV revision and known only once written. */
function stored(object: Resource): Resource {
  const metadata = { ...object.metadata };
  delete metadata.resourceVersion;
  return structuredClone({ ...object, metadata });
}

/** What a reader of `value` at `revision` gets: the caller receives exactly what `get` will return. */
function asRead(value: Uint8Array, revision: number): Resource {
  const { object } = JSON.parse(new TextDecoder().decode(value)) as StoredChange;
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
}

/** The key `writeMany` keeps the order of writes by; one shared key for objects too malformed to have one. */
function orderingKey(object: Resource): string {
  try {
    return resourceKey(keyOf(object));
  } catch {
    return '';
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class JetStreamResourceStore implements ResourceStore {
  private closed = false;
  private readonly watches = new Set<{ stop(): void }>();

  private constructor(
    private readonly kv: KV,
    private readonly mirror: ResourceMirror,
    private readonly release: () => Promise<void>,
  ) {}

  static async open(conn: SharedConnection): Promise<JetStreamResourceStore> {
    const release = conn.acquire();
    try {
      const { options } = conn;
      const stream = resourceBucketStream(options.prefix);
      const create = (): Promise<KV> =>
        new Kvm(conn.js).create(resourceBucket(options.prefix), {
          // One value per key: the latest change, deletions included (tombstones).
          history: 1,
          replicas: options.replicas,
          storage: StorageType.File,
          timeout: options.timeoutMs,
          // Reads go to the stream leader: a conditional write must start from the latest revision.
          allow_direct: false,
        });
      // Replicas starting together create the bucket together; the one left unanswered finds it made.
      const kv = await create().catch(async (error: unknown) => {
        if (await createdByAnother(error, () => conn.jsm.streams.info(stream))) return create();
        throw error;
      });
      // The bucket another replica is still creating has no leader yet.
      await waitForLeader(`stream ${stream}`, () => conn.probe.streams.info(stream));
      const mirror = new ResourceMirror(kv, options.timeoutMs);
      await mirror.start();
      return new JetStreamResourceStore(kv, mirror, release);
    } catch (error) {
      await release();
      throw toMeshError(error, 'opening the resources bucket');
    }
  }

  async get(key: ResourceKey): Promise<Resource | undefined> {
    this.checkOpen();
    const found = this.mirror.get(key.kind, resourceKey(key));
    return found === undefined ? undefined : structuredClone(found);
  }

  async list(kind: string, namespace?: string): Promise<Resource[]> {
    this.checkOpen();
    return this.mirror
      .all(kind)
      .filter((o) => namespace === undefined || (o.metadata.namespace ?? '') === namespace)
      .sort(
        (a, b) =>
          compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
          compareStrings(a.metadata.name, b.metadata.name),
      )
      .map((o) => structuredClone(o));
  }

  async create(object: Resource): Promise<Resource> {
    this.checkOpen();
    checkShape(object);
    const key = keyOf(object);
    const value = encodeChange({ type: 'ADDED', object: stored(object) });
    const revision = await this.write(key, async (current) => {
      if (current?.type !== undefined && current.type !== 'DELETED') {
        throw new MeshError('MESH_RESOURCE_EXISTS', `${describe(key)} already exists`);
      }
      return { value, expect: current?.revision ?? 0 };
    });
    return asRead(value, revision);
  }

  async replace(object: Resource): Promise<Resource> {
    this.checkOpen();
    checkShape(object);
    const key = keyOf(object);
    const expected = object.metadata.resourceVersion;
    const value = encodeChange({ type: 'MODIFIED', object: stored(object) });
    const revision = await this.write(key, async (current, raced) => {
      if (current === undefined || current.type === 'DELETED') {
        throw new MeshError('MESH_RESOURCE_NOT_FOUND', `${describe(key)} not found`);
      }
      if (expected !== undefined && (expected !== String(current.revision) || raced)) {
        throw new MeshError(
          'MESH_RESOURCE_CONFLICT',
          `${describe(key)} has been modified (resourceVersion ${current.revision}, request names ` +
            `${expected}); get the latest version and try again`,
        );
      }
      return { value, expect: current.revision };
    });
    return asRead(value, revision);
  }

  /**
   * NATS 2.9's KV has no write spanning keys: each entry is its own conditional write, and they go out
   * together (pipelined on the connection) rather than one round trip after another. An entry naming the
   * key of an earlier one waits for it, so the order of writes to one key is kept.
   */
  async writeMany(writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]> {
    this.checkOpen();
    const latest = new Map<string, Promise<unknown>>();
    return Promise.all(
      writes.map((write) => {
        const kvKey = orderingKey(write.object);
        const before = latest.get(kvKey) ?? Promise.resolve();
        const outcome = before.then(() =>
          (write.op === 'create' ? this.create(write.object) : this.replace(write.object)).then(
            (object): StoreWriteOutcome => ({ object }),
            (error: unknown): StoreWriteOutcome => ({ error }),
          ),
        );
        latest.set(kvKey, outcome);
        return outcome;
      }),
    );
  }

  async delete(key: ResourceKey): Promise<Resource | undefined> {
    this.checkOpen();
    let deleted: Resource | undefined;
    await this.write(key, async (current) => {
      if (current === undefined || current.type === 'DELETED' || current.object === undefined) {
        deleted = undefined;
        return undefined;
      }
      deleted = current.object;
      const tombstone: StoredChange = { type: 'DELETED', object: stored(current.object) };
      return { value: encodeChange(tombstone), expect: current.revision };
    });
    return deleted;
  }

  currentVersion(): string {
    return String(this.mirror.revision);
  }

  watch(options: { since?: string; signal: AbortSignal }): AsyncIterable<WatchEvent> {
    this.checkOpen();
    const { since, signal } = options;
    if (since !== undefined && !/^\d+$/.test(since)) {
      const error = new MeshError(
        'MESH_REQUEST_INVALID',
        `resourceVersion "${since}" is not a resourceVersion`,
      );
      return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
    }
    const hub = this.mirror.hub;
    if (since === undefined || Number(since) >= hub.oldestResumable) {
      return hub.watch(since, this.mirror.revision, signal);
    }
    // Older than what this process has seen: the bucket itself, which keeps every key's latest change.
    return this.follow(Number(since), signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const watch of [...this.watches]) watch.stop();
    await this.mirror.close();
    await this.release();
  }

  /**
   * A watch from the bucket: every key's latest change after `from`, in revision order (a key changed
   * several times since then shows up once, with its latest state), then live changes.
   */
  private async *follow(from: number, signal: AbortSignal): AsyncGenerator<WatchEvent> {
    if (signal.aborted || this.closed) return;
    const changes = await this.kv
      .watch({ include: KvWatchInclude.AllHistory, resumeFromRevision: from + 1 })
      .catch((error: unknown) => {
        throw toMeshError(error, 'watching resources');
      });
    const stop = (): void => changes.stop();
    this.watches.add(changes);
    signal.addEventListener('abort', stop, { once: true });
    try {
      if (signal.aborted || this.closed) return;
      for await (const entry of changes) {
        const change = decodeEntry(entry);
        if (change?.object === undefined) continue;
        yield { type: change.type, object: change.object };
      }
    } finally {
      signal.removeEventListener('abort', stop);
      this.watches.delete(changes);
      changes.stop();
    }
  }

  /**
   * A conditional write: reads the key's latest change from the server, lets `decide` say what to write
   * against which revision (or nothing, or throw), and writes it; when another replica wrote the key in
   * between, reads and decides again (`raced` true). Resolves with the new revision once this replica's
   * mirror has applied it.
   */
  private async write(
    key: ResourceKey,
    decide: (
      current: { type: StoredChange['type']; object: Resource | undefined; revision: number } | undefined,
      raced: boolean,
    ) => Promise<{ value: Uint8Array; expect: number } | undefined>,
  ): Promise<number> {
    const kvKey = resourceKey(key);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      let revision: number;
      try {
        const entry = await this.kv.get(kvKey);
        const change = entry === null ? undefined : decodeEntry(entry);
        const current =
          entry === null || change === undefined ? undefined : { ...change, revision: entry.revision };
        const plan = await decide(current, attempt > 0);
        if (plan === undefined) return this.mirror.revision;
        revision =
          plan.expect === 0
            ? await this.kv.create(kvKey, plan.value)
            : await this.kv.update(kvKey, plan.value, plan.expect);
      } catch (error) {
        if (hasApiCode(error, API_WRONG_LAST_SEQUENCE)) continue;
        throw toMeshError(error, `storing ${describe(key)}`);
      }
      await this.mirror.caughtUp(revision);
      return revision;
    }
    throw new MeshError(
      'MESH_RESOURCE_CONFLICT',
      `${describe(key)} keeps being changed by others; get the latest version and try again`,
    );
  }

  private checkOpen(): void {
    if (this.closed) throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'The resource store is closed.');
  }
}
