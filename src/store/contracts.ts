/**
 * The store contracts. The data plane is written once against these; each backend (memory, embedded,
 * jetstream) implements them and passes the one conformance suite in test/conformance.
 *
 * Routing happens on write: ingress matches an event against the broker's trigger index and appends it
 * together with the ids of the matching triggers' queues, in one all-or-nothing operation, before answering
 * 202. A queue id is opaque to the store: the data plane uses a trigger's uid, and `<uid>/dls` for the
 * trigger's dead-letter queue.
 */
import type { CloudEvent } from '../core/cloudevents/model.js';
import type { Resource } from '../core/resources/object.js';
import type { PersistenceKind } from '../core/resources/persistence-kind.js';
import type { AcceptedEntry, BrokerHistory } from './history.js';

export type { PersistenceKind } from '../core/resources/persistence-kind.js';

export interface BrokerRef {
  readonly namespace: string;
  readonly name: string;
}

/** Opaque id of one delivery queue (a trigger's uid, or `<uid>/dls` for its dead-letter queue). */
export type QueueId = string;

export interface AppendItem {
  readonly event: CloudEvent;
  /** One pending delivery is created per queue listed here; an empty list stores the event only. */
  readonly queues: readonly QueueId[];
  /**
   * The event's delivery-history entry, stored with it by a backend that keeps a history (`BrokerStore.history`);
   * absent for copies that are no new event (a dead-letter copy).
   */
  readonly history?: AcceptedEntry;
}

export interface Backend {
  readonly kind: PersistenceKind;
  /**
   * Opens, creating it if needed, the store of one broker. `options.shards` spreads it over that many
   * streams (jetstream; docs/decisions/sharded-brokers.md); memory and embedded keep one log and ignore it.
   */
  broker(ref: BrokerRef, options?: BrokerOptions): Promise<BrokerStore>;
  /** Deletes a broker's events and queues. */
  dropBroker(ref: BrokerRef): Promise<void>;
  /** False while the backend cannot take writes (e.g. its server is unreachable). */
  isReady(): boolean;
  /** Stops leases (pending `lease` calls resolve with []), flushes, releases files and connections. */
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** Number of streams, 1 to 16 (default 1); fixed for the life of the broker. */
  readonly shards?: number;
}

export interface BrokerStore {
  readonly ref: BrokerRef;
  /** Streams the broker is spread over (1 unless sharded). */
  readonly shards?: number;
  /** The broker's durable delivery history; absent when the backend keeps none (the data plane keeps it in memory). */
  readonly history?: BrokerHistory;
  /**
   * Stores every item, all or nothing. When the promise resolves the items are as durable as the backend
   * promises (memory: in the process; embedded: fsync'd; jetstream: acked by the stream). Rejects with a
   * MeshError `MESH_BACKEND_FULL` or `MESH_BACKEND_UNAVAILABLE` when it cannot.
   */
  append(batch: readonly AppendItem[]): Promise<void>;
  /** The queue of pending deliveries with the given id. Queues are independent of one another. */
  queue(id: QueueId): DeliveryQueue;
  /** Forgets every pending delivery of a queue (its trigger was deleted). */
  dropQueue(id: QueueId): Promise<void>;
  /**
   * Adds to queue `id` a pending delivery of every retained event stored at or after `since` for which
   * `match` is true. Resolves with the number of deliveries added.
   */
  replay(id: QueueId, since: Date, match: (event: CloudEvent) => boolean): Promise<number>;
  /**
   * Every event that still has a pending delivery, oldest first, with each delivery's retry state: what a
   * broker migration moves (docs/decisions/broker-migration.md). Call it only while no queue of the broker
   * is leased from; a delivery leased then comes out due at once. Absent on a backend that cannot list
   * its pending deliveries with their retry state (jetstream).
   */
  exportPending?(): Promise<PendingEvent[]>;
  /**
   * Stores events with their pending deliveries and retry state, all or nothing, as `append` does (same
   * durability, same MESH_BACKEND_FULL / MESH_BACKLOG_FULL refusals). Absent where `exportPending` is.
   */
  importPending?(batch: readonly PendingEvent[]): Promise<void>;
}

/** An event and its pending deliveries, as a broker migration moves them from one backend to another. */
export interface PendingEvent {
  readonly event: CloudEvent;
  /** When it was first appended (epoch ms); kept, so replay windows and backlog ages do not restart. */
  readonly appendedAt: number;
  readonly deliveries: readonly PendingDelivery[];
}

export interface PendingDelivery {
  readonly queue: QueueId;
  /** Hand-outs so far: the next one carries attempt + 1, so the retry policy keeps counting. */
  readonly attempt: number;
  /** When it falls due (epoch ms); 0 when it is due now. */
  readonly dueAt: number;
}

export interface LeaseOptions {
  /** At most this many leases are returned (at least one unless aborted). */
  readonly max: number;
  /** A lease neither acked, nak'ed nor term'ed within this time is handed out again with attempt + 1. */
  readonly leaseMs: number;
  /** Aborting makes a waiting `lease` resolve with []. */
  readonly signal: AbortSignal;
}

export interface DeliveryQueue {
  /** Resolves as soon as at least one delivery is due, with up to `max` of them, oldest first. */
  lease(options: LeaseOptions): Promise<Lease[]>;
  /**
   * Pending deliveries (due, waiting for a retry, or leased) and when the oldest of their events was
   * appended (epoch ms; undefined when none). For metrics; absent on backends that cannot tell cheaply,
   * undefined while a backend that samples it has no sample yet.
   */
  backlog?(): QueueBacklog | undefined;
  /**
   * Calls `onWork` once, as soon as the queue holds a delivery (at once, on a microtask, if it already does);
   * the returned function cancels the call. Offered by backends whose queues only this process fills
   * (memory, embedded: every append, replay, retry and delivery loaded at open goes through it), so that a
   * delivery loop starts at its queue's first delivery rather than waiting in `lease` from the start. A
   * backend that other processes append to (jetstream) leaves it out, and its loops lease from the start.
   */
  whenWork?(onWork: () => void): () => void;
  /**
   * For backends that several processes share (jetstream): resolves once this process is the only one to
   * lease from the queue, and what an earlier holder had leased is due again (undefined when `signal`
   * aborts first). Ordered delivery needs it; backends used by one process leave it out.
   */
  claim?(signal: AbortSignal): Promise<QueueClaim | undefined>;
  /**
   * A sharded broker's queue is one queue per shard, merged (`lease` waits on every shard): each part
   * keeps its shard's order and has its own claim, so ordered delivery runs per part.
   */
  readonly parts?: readonly DeliveryQueue[];
}

/** Sole use of a queue by this process, until released or lost. */
export interface QueueClaim {
  /** Aborts when the claim could not be kept (another process may lease from the queue now). */
  readonly lost: AbortSignal;
  /**
   * How many deliveries an earlier holder left leased; they come back before anything younger, and a
   * holder that keeps order takes them all in before handing any out (their order among themselves is not
   * the store's).
   */
  readonly handedBack: number;
  /** Lets another process claim the queue; call it after handing every held delivery back (nak). */
  release(): Promise<void>;
}

export interface QueueBacklog {
  readonly depth: number;
  readonly oldestAppendedAt: number | undefined;
}

export interface Lease {
  readonly event: CloudEvent;
  /**
   * Store-assigned position of the event within its broker, or within its shard on a sharded broker (all
   * events of one partition key share a shard), for ordering.
   */
  readonly seq: number;
  /** When the event was appended (epoch ms). */
  readonly appendedAt: number;
  /** 1 on the first hand-out; +1 on every nak and on every lease expiry. */
  readonly attempt: number;
  /** Done: the delivery succeeded. */
  ack(): Promise<void>;
  /** Hand the delivery out again after `delayMs`, with attempt + 1. */
  nak(delayMs: number): Promise<void>;
  /**
   * Done without success: never handed out again. How it ended (dead-lettered, undeliverable) is the data
   * plane's to record, in the delivery history; no backend stores it (nats-server 2.9's +TERM takes no
   * reason), so the verb takes none.
   */
  term(): Promise<void>;
}

/** Identifies one stored resource. `kind` is the resource kind, e.g. `Broker`; namespace is absent for cluster-scoped kinds. */
export interface ResourceKey {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One entry of `ResourceStore.writeMany`. */
export interface StoreWrite {
  readonly op: 'create' | 'replace';
  readonly object: Resource;
}

/** What became of one entry of `writeMany`: the stored object, or the error `create`/`replace` would throw. */
export type StoreWriteOutcome = { readonly object: Resource } | { readonly error: unknown };

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: Resource;
}

/**
 * Resources as stored. What it returns (get, list, the writes' results, watch events) may be the stored object
 * itself, deeply frozen and shared by every reader (the memory and embedded stores: 10,000 triggers are kept
 * once, not once per reader): never change it, change a copy.
 */
export interface ResourceStore {
  get(key: ResourceKey): Promise<Resource | undefined>;
  /** Every resource of a kind, in one namespace or (namespace undefined) in all; ordered by namespace, name. */
  list(kind: string, namespace?: string): Promise<Resource[]>;
  /** Stores a new resource with a new `metadata.resourceVersion`; MESH_RESOURCE_EXISTS if the key is taken. */
  create(object: Resource): Promise<Resource>;
  /**
   * Replaces a resource. When `object.metadata.resourceVersion` is set it must equal the stored one
   * (MESH_RESOURCE_CONFLICT otherwise). MESH_RESOURCE_NOT_FOUND when absent. Assigns a new resourceVersion.
   */
  replace(object: Resource): Promise<Resource>;
  /**
   * Several creates and replaces, each with exactly the semantics of `create` or `replace`, stored together:
   * in one transaction where the backend has them (memory, embedded: one SQLite transaction and one flush;
   * jetstream: the writes go out at once, each its own conditional KV write). Each entry succeeds or fails
   * on its own, and its outcome is at the same index. Entries naming one object are applied in order; entries
   * naming different objects are in order too on memory and embedded, in any order on jetstream.
   */
  writeMany(writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]>;
  /** Deletes a resource, returning what was deleted (undefined when absent). */
  delete(key: ResourceKey): Promise<Resource | undefined>;
  /** The resourceVersion of the latest change ("0" when none). */
  currentVersion(): string;
  /**
   * Changes after resourceVersion `since` (from now when undefined), live, until `signal` aborts.
   * MESH_RESOURCE_CONFLICT-coded error ("too old") when `since` is older than what the store retains.
   */
  watch(options: { since?: string; signal: AbortSignal }): AsyncIterable<WatchEvent>;
  close(): Promise<void>;
}
