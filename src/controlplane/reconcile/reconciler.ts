/**
 * Keeps the data plane and every object's status in line with the stored resources. It lists everything
 * at start, then follows the store's watch; each change marks the objects it affects, and a single loop
 * reconciles marked objects one at a time. Status is written only when it changed, so the writes it makes
 * itself (seen again through the watch) settle at once. Status writes are gathered and stored together
 * (`writeMany`: one transaction and one flush on embedded) at the end of each pass over the marked objects, or
 * every STATUS_BATCH objects: 10,000 triggers applied at once cost a few dozen writes, not 10,000.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMeshError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { allKinds, kindNamed, type PersistenceKind } from '../../core/resources/index.js';
import { conditionSet, manageConditions, READY } from '../../core/resources/conditions.js';
import type { Resource, Status } from '../../core/resources/object.js';
import type { ResourceStore, StoreWrite, WatchEvent } from '../../store/contracts.js';
import { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import {
  dependentsOf,
  hookedKinds,
  reconcileHookOf,
  type ReconcileContext,
  type ReconcileOutcome,
} from './hooks.js';
import './kinds.js';
import { KYMA_EVENT_TYPE_PREFIX } from '../../core/kyma/index.js';
import { ArrivalClock } from '../../core/cloudevents/arrival-clock.js';

export interface ReconcilerOptions {
  readonly resources: ResourceStore;
  readonly dataPlane: DataPlane;
  readonly serverDefault: PersistenceKind;
  /** Base URL of the broker ingress, e.g. http://127.0.0.1:8080. */
  readonly ingressUrl: string;
  /** Base URL of the application gateway, e.g. http://127.0.0.1:8090 (shown in Application status). */
  readonly gatewayUrl?: string;
  /** Kyma's eventing prefix for Subscriptions' clean types (default `sap.kyma.custom`). */
  readonly eventTypePrefix?: string;
  readonly logger: Logger;
  /** Called after each object is reconciled (tests and the console wait on it). */
  readonly onReconciled?: (object: Resource) => void;
}

type Key = string;

/** Retry timing for an object whose reconcile asked to be retried (a backend that could not be opened). */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** Status writes stored together at most. */
const STATUS_BATCH = 500;

export class Reconciler {
  readonly cache = new ResourceCache();
  /** Objects to reconcile, by key: the object as it was marked, for its kind, namespace and name. */
  private readonly dirty = new Map<Key, Resource>();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private watching: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Objects whose reconcile asked to be retried: how often in a row, and the timer that tries again. */
  private readonly retries = new Map<Key, { failures: number; timer: NodeJS.Timeout }>();
  /** Objects reconciled since the last flush, and for those whose status changed, the object to store. */
  private reconciled: { object: Resource; updated?: Resource }[] = [];
  /** The time conditions are stamped with, formatted once a millisecond rather than once an object. */
  private readonly clock = new ArrivalClock();

  constructor(private readonly options: ReconcilerOptions) {}

  async start(): Promise<void> {
    const since = await this.relist();
    this.watching = this.watch(since);
    await this.idle();
  }

  /**
   * Reads every object afresh and marks it; objects gone from the store are handled as deleted. Returns the
   * resourceVersion to watch from. Used at start and when a watch can no longer resume (version too old).
   */
  private async relist(): Promise<string> {
    const since = this.options.resources.currentVersion();
    // Internal kinds (ApplicationCredential: the gateway's token digests) have a hook but are not served.
    for (const kind of new Set([...allKinds().map((info) => info.kind), ...hookedKinds()])) {
      const stored = await this.options.resources.list(kind);
      const present = new Set(stored.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`));
      for (const gone of this.cache
        .list(kind)
        .filter((o) => !present.has(`${o.metadata.namespace ?? ''}/${o.metadata.name}`))) {
        this.apply({ type: 'DELETED', object: gone });
      }
      for (const object of stored) this.apply({ type: 'MODIFIED', object });
    }
    return since;
  }

  /** Resolves once every marked object has been reconciled. */
  idle(): Promise<void> {
    if (this.dirty.size === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const { timer } of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    await this.watching;
    await this.running;
  }

  private async watch(since: string): Promise<void> {
    let from = since;
    while (!this.abort.signal.aborted) {
      try {
        for await (const event of this.options.resources.watch({ since: from, signal: this.abort.signal })) {
          from = event.object.metadata.resourceVersion ?? from;
          this.apply(event, this.isOwnWrite(event));
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.logger.warn({ err: error }, 'resource watch ended; resuming');
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Too old to resume (the store's change log moved on): start over from a full list.
        if (isMeshError(error) && error.code === 'MESH_RESOURCE_CONFLICT') from = await this.relist();
      }
    }
  }

  /** `ownWrite`: the change is a status this reconciler wrote; the object needs no reconcile for it, its dependents do. */
  private apply(event: WatchEvent, ownWrite = false): void {
    const { object } = event;
    if (event.type === 'DELETED') {
      this.cache.remove(object);
      this.onDeleted(object);
    } else {
      this.cache.put(object);
    }
    this.mark(object, !ownWrite);
  }

  /**
   * True when the watch brings back the version of an object the last flush wrote and put in the cache (its
   * status): reconciling it again would find its status as it is. About half of what 10,000 new triggers cost.
   */
  private isOwnWrite(event: WatchEvent): boolean {
    if (event.type !== 'MODIFIED') return false;
    const { kind, metadata } = event.object;
    const cached = this.cache.get(kind, metadata.namespace, metadata.name);
    return cached !== undefined && cached.metadata.resourceVersion === metadata.resourceVersion;
  }

  /**
   * Marks an object (unless `self` is false) and everything whose status depends on it, through every hook's
   * `watches`. `seen` is made only when there are dependents to walk: every watch event marks.
   */
  private mark(object: Resource, self = true, seen?: Set<Key>): void {
    if (seen !== undefined) {
      const key = keyOf(object);
      if (seen.has(key)) return;
      seen.add(key);
    }
    if (self) this.enqueue(object);
    const dependents = dependentsOf(this.cache, object);
    if (dependents.length === 0) return;
    const visited = seen ?? new Set([keyOf(object)]);
    for (const dependent of dependents) this.mark(dependent, true, visited);
  }

  /** Reconciles an object again because something outside the store changed (a hosted function's state). */
  touch(kind: string, namespace: string | undefined, name: string): void {
    const object = this.cache.get(kind, namespace, name);
    if (object !== undefined && !this.abort.signal.aborted) this.enqueue(object);
  }

  private enqueue(object: Resource): void {
    this.dirty.set(keyOf(object), object);
    this.kick();
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.dirty.size > 0 && !this.abort.signal.aborted) this.kick();
      else for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  private async drain(): Promise<void> {
    await Promise.resolve();
    // One iterator for the whole pass, not one (and a split key) per object: a Map's iterator also visits
    // the keys marked while the pass awaits, and a key marked again after its turn comes round again.
    for (const [key, marked] of this.dirty) {
      if (this.abort.signal.aborted) break;
      this.dirty.delete(key);
      const { kind, metadata } = marked;
      const object = this.cache.get(kind, metadata.namespace, metadata.name);
      if (!object) continue;
      try {
        await this.reconcile(object);
      } catch (error) {
        this.options.logger.error(
          { err: error, kind, namespace: metadata.namespace, name: metadata.name },
          'reconcile failed',
        );
      }
      if (this.reconciled.length >= STATUS_BATCH) await this.flush();
    }
    await this.flush();
  }

  private async reconcile(object: Resource): Promise<void> {
    const ctx = this.context(this.clock.text());
    const hook = reconcileHookOf(object.kind);
    const outcome = hook?.reconcile ? await hook.reconcile(ctx, object) : readyOnAdmission(ctx, object);
    this.retryIf(object, outcome.retry === true);
    const status = outcome.status;
    if (status === undefined || isDeepStrictEqual(object.status ?? {}, status)) {
      this.reconciled.push({ object });
      return;
    }
    // What is reconciled next sees this status at once (a broker's Ready, for its triggers): the cache holds
    // it now, and the store once the flush has written it. Object.assign, not a spread: a spread that adds a
    // key its source lacks (a new object's first status) costs V8 about 1 us a key (BENCHMARKS.md, "SA").
    const updated = Object.assign({}, object, { status });
    this.cache.put(updated);
    this.reconciled.push({ object, updated });
  }

  /**
   * An object whose reconcile failed on something outside the store (NATS unreachable, a data directory not
   * writable) is tried again on a timer, 1 s doubling to 30 s, as a Kubernetes controller requeues with
   * backoff: nothing else would change to prompt it. A reconcile that does not ask for it ends the retries.
   */
  private retryIf(object: Resource, retry: boolean): void {
    const key = keyOf(object);
    const previous = this.retries.get(key);
    if (previous !== undefined) clearTimeout(previous.timer);
    if (!retry || this.abort.signal.aborted) {
      this.retries.delete(key);
      return;
    }
    const failures = (previous?.failures ?? 0) + 1;
    const delayMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
    const timer = setTimeout(() => {
      const current = this.cache.get(object.kind, object.metadata.namespace, object.metadata.name);
      if (current !== undefined) this.enqueue(current);
    }, delayMs);
    timer.unref();
    this.retries.set(key, { failures, timer });
  }

  private context(now: string): ReconcileContext {
    return {
      cache: this.cache,
      dataPlane: this.options.dataPlane,
      resources: this.options.resources,
      serverDefault: this.options.serverDefault,
      ingressUrl: this.options.ingressUrl,
      gatewayUrl: this.options.gatewayUrl,
      eventTypePrefix: this.options.eventTypePrefix ?? KYMA_EVENT_TYPE_PREFIX,
      logger: this.options.logger,
      now,
    };
  }

  /** Stores the gathered status writes together, then tells `onReconciled` of every object reconciled. */
  private async flush(): Promise<void> {
    const reconciled = this.reconciled;
    this.reconciled = [];
    // Stopping: the store is about to close, and the next start reconciles everything again.
    if (this.abort.signal.aborted) return;
    const writes: StoreWrite[] = reconciled.flatMap(({ updated }) =>
      updated === undefined ? [] : [{ op: 'replace' as const, object: updated }],
    );
    if (writes.length > 0) {
      const outcomes = await this.options.resources
        .writeMany(writes)
        .catch((error: unknown) => writes.map(() => ({ error })));
      outcomes.forEach((outcome, i) => {
        if ('object' in outcome) this.cache.put(outcome.object);
        else this.statusNotWritten(writes[i]!.object, outcome.error);
      });
    }
    for (const { object } of reconciled) this.options.onReconciled?.(object);
  }

  private statusNotWritten(object: Resource, error: unknown): void {
    // Changed meanwhile (or deleted): the watch brings the new version, which is reconciled again.
    if (
      isMeshError(error) &&
      (error.code === 'MESH_RESOURCE_CONFLICT' || error.code === 'MESH_RESOURCE_NOT_FOUND')
    )
      return;
    const { kind, metadata } = object;
    this.options.logger.error(
      { err: error, kind, namespace: metadata.namespace, name: metadata.name },
      'status write failed',
    );
  }

  private onDeleted(object: Resource): void {
    const retry = this.retries.get(keyOf(object));
    if (retry !== undefined) clearTimeout(retry.timer);
    this.retries.delete(keyOf(object));
    const deleted = reconcileHookOf(object.kind)?.deleted;
    if (deleted === undefined) return;
    const failed = (error: unknown): void =>
      this.options.logger.error(
        { err: error, kind: object.kind, name: object.metadata.name },
        'cleanup after delete failed',
      );
    // Access ends at once: cleanup starts here, on the watch event, not in the queued reconcile.
    try {
      deleted(this.context(new Date().toISOString()), object)?.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}

/** A kind without a reconcile hook has nothing outside itself to wait for: Ready once admitted. */
function readyOnAdmission(ctx: ReconcileContext, object: Resource): ReconcileOutcome {
  const set = kindNamed(object.kind)?.conditions ?? conditionSet([]);
  const conditions = manageConditions(set, object.status?.conditions, ctx.now);
  if (set.dependents.length === 0) conditions.markTrue(READY);
  else for (const type of set.dependents) conditions.markTrue(type, 'Admitted');
  const status: Status = {
    observedGeneration: object.metadata.generation,
    conditions: conditions.conditions,
  };
  return { status };
}

function keyOf(object: Resource): Key {
  return `${object.kind}\u0000${object.metadata.namespace ?? ''}\u0000${object.metadata.name}`;
}
