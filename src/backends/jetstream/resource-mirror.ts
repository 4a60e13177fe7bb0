/**
 * This process's copy of the resources bucket, kept by a KV watch, so `get`, `list` and `currentVersion`
 * answer from memory and every replica converges on the same state (ARCHITECTURE 5: resources in a KV
 * bucket watched by every replica). `applied` is the highest revision such that every change up to it
 * has been applied here; a write resolves once the mirror has caught up to it, which gives each replica
 * read-your-writes and keeps `currentVersion()` consistent with `list()` for a list-then-watch client.
 *
 * Every change seen after the start also goes to a WatchHub, which serves live watches and watches
 * resumed from a recent resourceVersion with each change, in order, registered synchronously.
 */
import type { KV, KvEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { MeshError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/object.js';
import type { WatchEventType } from '../../store/contracts.js';
import { deepFreeze } from '../../store/resources/versioned-store.js';
import { WatchHub } from '../../store/resources/watch-hub.js';

/** What one KV value holds: the change that wrote it, and the object (without its resourceVersion). */
export interface StoredChange {
  readonly type: WatchEventType;
  readonly object: Resource;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function encodeChange(change: StoredChange): Uint8Array {
  return encoder.encode(JSON.stringify(change));
}

/**
 * The change a KV entry records, with the entry's revision as resourceVersion; undefined for an entry
 * cemesh did not write. A KV delete or purge (by an operator's tool) reads as a deletion without object.
 */
export function decodeEntry(
  entry: KvEntry,
): { type: WatchEventType; object: Resource | undefined } | undefined {
  if (entry.operation !== 'PUT') return { type: 'DELETED', object: undefined };
  let parsed: Partial<StoredChange>;
  try {
    parsed = JSON.parse(decoder.decode(entry.value)) as Partial<StoredChange>;
  } catch {
    return undefined;
  }
  const { type, object } = parsed;
  if ((type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') || typeof object?.kind !== 'string') {
    return undefined;
  }
  const metadata = { ...object.metadata, resourceVersion: String(entry.revision) };
  return { type, object: { ...object, metadata } };
}

const RESTART_PAUSE_MS = 500;
/** Changes kept in memory for resuming watches exactly (older ones resume from the bucket itself). */
const CHANGE_LOG_SIZE = 10_000;

export class ResourceMirror {
  /** kind -> KV key -> frozen object with its resourceVersion. */
  private readonly byKind = new Map<string, Map<string, Resource>>();
  private readonly kindOfKey = new Map<string, string>();
  private applied = 0;
  private waiters: { revision: number; resolve: () => void }[] = [];
  private watch: QueuedIterator<KvEntry> | undefined;
  private closed = false;
  private running: Promise<void> | undefined;
  private hubStore: WatchHub | undefined;

  constructor(
    private readonly kv: KV,
    private readonly timeoutMs: number,
  ) {}

  /** Loads the bucket and follows it; resolves once everything stored before the call is applied. */
  async start(): Promise<void> {
    const last = (await this.kv.status()).streamInfo.state.last_seq;
    this.hubStore = new WatchHub({ capacity: CHANGE_LOG_SIZE, changes: [], compactedThrough: last });
    this.running = this.follow();
    await this.caughtUp(last);
  }

  get revision(): number {
    return this.applied;
  }

  /** The changes seen since the start, for watches. */
  get hub(): WatchHub {
    if (this.hubStore === undefined) throw new Error('the resource mirror has not started');
    return this.hubStore;
  }

  get(kind: string, kvKey: string): Resource | undefined {
    return this.byKind.get(kind)?.get(kvKey);
  }

  all(kind: string): Resource[] {
    return [...(this.byKind.get(kind)?.values() ?? [])];
  }

  /** Resolves once the change with `revision` (and every one before it) is applied here. */
  caughtUp(revision: number): Promise<void> {
    if (this.applied >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new MeshError(
            'MESH_BACKEND_UNAVAILABLE',
            `resourceVersion ${revision} was stored, but this replica has not seen it within ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      const waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.hubStore?.close();
    this.watch?.stop();
    await this.running;
  }

  private async follow(): Promise<void> {
    while (!this.closed) {
      try {
        // After a break, resume after the last applied change (the bucket keeps one value per key, so
        // "every change since" is the latest change of every key written since).
        this.watch = await this.kv.watch(this.applied > 0 ? { resumeFromRevision: this.applied + 1 } : {});
        if (this.closed) this.watch.stop();
        for await (const entry of this.watch) this.apply(entry);
      } catch {
        // The watch broke (connection loss); try again below.
      }
      if (!this.closed) await new Promise((resolve) => setTimeout(resolve, RESTART_PAUSE_MS));
    }
  }

  private apply(entry: KvEntry): void {
    const change = decodeEntry(entry);
    const previousKind = this.kindOfKey.get(entry.key);
    const previous = previousKind === undefined ? undefined : this.byKind.get(previousKind)?.get(entry.key);
    if (change !== undefined) {
      if (previousKind !== undefined) this.byKind.get(previousKind)?.delete(entry.key);
      if (change.type === 'DELETED' || change.object === undefined) {
        this.kindOfKey.delete(entry.key);
      } else {
        const { kind } = change.object;
        let objects = this.byKind.get(kind);
        if (objects === undefined) this.byKind.set(kind, (objects = new Map()));
        objects.set(entry.key, deepFreeze(change.object));
        this.kindOfKey.set(entry.key, kind);
      }
      // A KV delete by another tool carries no object: report the one it removed.
      const object =
        change.object ??
        (previous === undefined
          ? undefined
          : { ...previous, metadata: { ...previous.metadata, resourceVersion: String(entry.revision) } });
      if (object !== undefined && entry.revision > this.hub.oldestResumable) {
        this.hub.record({ rv: entry.revision, type: change.type, object: deepFreeze(object) });
      }
    }
    this.applied = Math.max(this.applied, entry.revision);
    const ready = this.waiters.filter((w) => w.revision <= this.applied);
    if (ready.length > 0) {
      this.waiters = this.waiters.filter((w) => w.revision > this.applied);
      for (const waiter of ready) waiter.resolve();
    }
  }
}
