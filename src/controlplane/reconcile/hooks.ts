/**
 * What the reconciler does for each kind, looked up by kind name instead of switched on: how it derives an
 * object's status, which other objects' status depends on it, and what happens at once when it is deleted.
 * A kind without a hook gets `Ready` True once admitted (it has nothing outside itself to wait for).
 * Kinds that are stored but not served (ApplicationCredential) have a hook and no registry entry.
 */
import type { Logger } from '../../core/logger.js';
import type { PersistenceKind } from '../../core/resources/index.js';
import type { Resource, Status } from '../../core/resources/object.js';
import type { ResourceStore } from '../../store/contracts.js';
import type { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';

/** Everything a hook may read or call; one per reconcile (`now` is the time it started). */
export interface ReconcileContext {
  readonly cache: ResourceCache;
  readonly dataPlane: DataPlane;
  /** For hooks that write other objects (a mapping creates its namespace's default broker). */
  readonly resources: ResourceStore;
  readonly serverDefault: PersistenceKind;
  /** Base URL of the broker ingress, e.g. http://127.0.0.1:8080. */
  readonly ingressUrl: string;
  /** Base URL of the application gateway, when there is one. */
  readonly gatewayUrl: string | undefined;
  /** Kyma's eventing prefix, which a standard Subscription's clean types start with. */
  readonly eventTypePrefix: string;
  readonly logger: Logger;
  readonly now: string;
}

export interface ReconcileOutcome {
  /** The status to write; absent for kinds without status (internal ones). */
  readonly status?: Status;
  /**
   * Reconcile again later, with backoff (1 s doubling to 30 s), as a Kubernetes controller requeues: what
   * failed lies outside the store (a backend not reachable), so no change would prompt another try.
   */
  readonly retry?: boolean;
}

export interface ReconcileHook {
  /** Derives the object's status and wires it into the data plane. */
  reconcile?(ctx: ReconcileContext, object: Resource): ReconcileOutcome | Promise<ReconcileOutcome>;
  /**
   * The other kinds this kind's status depends on, each with the objects of this kind a change to one of
   * theirs affects (a Trigger watches Brokers: the triggers on a changed broker). Those are reconciled again,
   * and so, in turn, is what depends on them.
   */
  readonly watches?: Readonly<
    Record<string, (cache: ResourceCache, changed: Resource) => Iterable<Resource>>
  >;
  /** Runs on the watch's DELETED event, before any queued work: access ends at once. */
  deleted?(ctx: ReconcileContext, object: Resource): void | Promise<void>;
}

const hooks = new Map<string, ReconcileHook>();

/** Sets the hook of a kind; returns a function that removes it again. */
export function registerReconcileHook(kind: string, hook: ReconcileHook): () => void {
  if (hooks.has(kind)) throw new Error(`kind ${kind} has a reconcile hook already`);
  hooks.set(kind, hook);
  return () => {
    if (hooks.get(kind) === hook) hooks.delete(kind);
  };
}

export function reconcileHookOf(kind: string): ReconcileHook | undefined {
  return hooks.get(kind);
}

/** Every kind with a hook (served or internal). */
export function hookedKinds(): string[] {
  return [...hooks.keys()];
}

/**
 * The objects whose status depends on `changed`, by every hook that watches its kind. A list, not a generator:
 * every watch event asks, and most kinds (a trigger's own changes) have no dependents.
 */
export function dependentsOf(cache: ResourceCache, changed: Resource): readonly Resource[] {
  let found: Resource[] | undefined;
  for (const hook of hooks.values()) {
    const affected = hook.watches?.[changed.kind];
    if (affected === undefined) continue;
    found ??= [];
    for (const object of affected(cache, changed)) found.push(object);
  }
  return found ?? NONE;
}

const NONE: readonly Resource[] = Object.freeze([]);
