/**
 * Keeps the data plane and every object's status in line with the stored resources. It lists everything
 * at start, then follows the store's watch; each change marks the objects it affects, and a single loop
 * reconciles marked objects one at a time. Status is written only when it changed, so the writes it makes
 * itself (seen again through the watch) settle at once.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMeshError } from '../../core/errors.js';
import { APPLICATION_CREDENTIAL_KIND } from '../../core/kyma/index.js';
import type { Logger } from '../../core/logger.js';
import { kinds } from '../../core/resources/kinds.js';
import type { PersistenceKind } from '../../core/resources/index.js';
import { setCondition } from '../../core/resources/index.js';
import type { Condition, Resource } from '../../core/resources/object.js';
import type { ResourceStore, WatchEvent } from '../../store/contracts.js';
import {
  APPLICATION_BROKER,
  applicationDeleted,
  applicationMappingDeleted,
  reconcileApplication,
  reconcileApplicationCredential,
  reconcileApplicationMapping,
  type ApplicationContext,
} from './application.js';
import { BACKEND_UNAVAILABLE, reconcileBroker } from './broker.js';
import { ResourceCache } from './cache.js';
import type { DataPlane } from './data-plane.js';
import { reconcileFunction } from './function.js';
import { reconcileTrigger } from './trigger.js';

export interface ReconcilerOptions {
  readonly resources: ResourceStore;
  readonly dataPlane: DataPlane;
  readonly serverDefault: PersistenceKind;
  /** Base URL of the broker ingress, e.g. http://127.0.0.1:8080. */
  readonly ingressUrl: string;
  /** Base URL of the application gateway, e.g. http://127.0.0.1:8090 (shown in Application status). */
  readonly gatewayUrl?: string;
  readonly logger: Logger;
  /** Called after each object is reconciled (tests and the console wait on it). */
  readonly onReconciled?: (object: Resource) => void;
}

type Key = string;

/** Retry timing for a broker whose backend could not be opened. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export class Reconciler {
  readonly cache = new ResourceCache();
  private readonly dirty = new Set<Key>();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private watching: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Brokers whose backend could not be opened: how often in a row, and the timer that tries again. */
  private readonly retries = new Map<Key, { failures: number; timer: NodeJS.Timeout }>();

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
    // ApplicationCredential is internal (not served by the API), but holds the gateway's token digests.
    for (const kind of [...kinds.map((info) => info.kind), APPLICATION_CREDENTIAL_KIND]) {
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
          this.apply(event);
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

  private apply(event: WatchEvent): void {
    const { object } = event;
    if (event.type === 'DELETED') {
      this.cache.remove(object);
      this.onDeleted(object);
    } else {
      this.cache.put(object);
    }
    this.mark(object);
  }

  /** Marks an object and everything whose status depends on it. */
  private mark(object: Resource): void {
    const namespace = object.metadata.namespace;
    switch (object.kind) {
      case 'Namespace':
        for (const broker of this.cache.list('Broker', object.metadata.name)) this.mark(broker);
        break;
      case 'ConfigMap':
        for (const broker of this.cache.list('Broker')) this.mark(broker);
        // A Function's env may read the ConfigMap.
        for (const fn of this.cache.list('Function', namespace)) this.enqueue(fn);
        break;
      case 'Function':
        // Triggers may subscribe it (by a Function or Service ref); their SubscriberResolved follows it.
        for (const trigger of this.cache.list('Trigger', namespace)) this.enqueue(trigger);
        break;
      case 'Broker':
        for (const trigger of this.cache.list('Trigger', namespace)) {
          const spec = trigger.spec as { broker?: string } | undefined;
          if ((spec?.broker ?? 'default') === object.metadata.name) this.enqueue(trigger);
        }
        if (object.metadata.name === APPLICATION_BROKER) {
          for (const mapping of this.cache.list('ApplicationMapping', namespace)) this.enqueue(mapping);
        }
        break;
      case 'Application': {
        const name = object.metadata.name;
        for (const mapping of this.cache.list('ApplicationMapping')) {
          if (mapping.metadata.name === name) this.enqueue(mapping);
        }
        const credential = this.cache.get(APPLICATION_CREDENTIAL_KIND, undefined, name);
        if (credential) this.enqueue(credential);
        break;
      }
    }
    this.enqueue(object);
  }

  /** Reconciles an object again because something outside the store changed (a hosted function's state). */
  touch(kind: string, namespace: string | undefined, name: string): void {
    const object = this.cache.get(kind, namespace, name);
    if (object !== undefined && !this.abort.signal.aborted) this.enqueue(object);
  }

  private enqueue(object: Resource): void {
    this.dirty.add(keyOf(object));
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
    while (this.dirty.size > 0 && !this.abort.signal.aborted) {
      const [key] = this.dirty;
      if (key === undefined) break;
      this.dirty.delete(key);
      const [kind = '', namespace = '', name = ''] = key.split('\u0000');
      const object = this.cache.get(kind, namespace || undefined, name);
      if (!object) continue;
      try {
        await this.reconcile(object);
      } catch (error) {
        this.options.logger.error({ err: error, kind, namespace, name }, 'reconcile failed');
      }
    }
  }

  private async reconcile(object: Resource): Promise<void> {
    const now = new Date().toISOString();
    const common = {
      cache: this.cache,
      dataPlane: this.options.dataPlane,
      ingressUrl: this.options.ingressUrl,
      now,
    };
    let status: Record<string, unknown>;
    switch (object.kind) {
      case APPLICATION_CREDENTIAL_KIND:
        // Internal kind: no status to write.
        reconcileApplicationCredential(this.applicationContext(now), object);
        this.options.onReconciled?.(object);
        return;
      case 'Application':
        status = reconcileApplication(this.applicationContext(now), object);
        break;
      case 'ApplicationMapping':
        status = await reconcileApplicationMapping(this.applicationContext(now), object);
        break;
      case 'Broker':
        status = await reconcileBroker({ ...common, serverDefault: this.options.serverDefault }, object);
        this.retryIfUnavailable(object, status);
        break;
      case 'Trigger':
        status = await reconcileTrigger(common, object);
        break;
      case 'Function':
        status = reconcileFunction(common, object);
        break;
      default: {
        const conditions = setCondition(object.status?.conditions, { type: 'Ready', status: 'True' }, now);
        status = { observedGeneration: object.metadata.generation, conditions };
      }
    }
    await this.writeStatus(object, status);
    this.options.onReconciled?.(object);
  }

  /**
   * A backend that could not be opened (NATS unreachable, a data directory not writable) is tried again on a
   * timer, 1 s doubling to 30 s, as a Kubernetes controller requeues with backoff: nothing else would change
   * to prompt it. Any reconcile that finds the backend open ends the retries.
   */
  private retryIfUnavailable(broker: Resource, status: Record<string, unknown>): void {
    const key = keyOf(broker);
    const conditions = status['conditions'] as Condition[] | undefined;
    const unavailable = conditions?.some(
      (c) => c.type === 'BackendReady' && c.reason === BACKEND_UNAVAILABLE,
    );
    const previous = this.retries.get(key);
    if (previous !== undefined) clearTimeout(previous.timer);
    if (!unavailable || this.abort.signal.aborted) {
      this.retries.delete(key);
      return;
    }
    const failures = (previous?.failures ?? 0) + 1;
    const delayMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
    const timer = setTimeout(() => {
      const current = this.cache.get('Broker', broker.metadata.namespace, broker.metadata.name);
      if (current !== undefined) this.enqueue(current);
    }, delayMs);
    timer.unref();
    this.retries.set(key, { failures, timer });
  }

  private applicationContext(now: string): ApplicationContext {
    return {
      cache: this.cache,
      dataPlane: this.options.dataPlane,
      resources: this.options.resources,
      gatewayUrl: this.options.gatewayUrl,
      now,
    };
  }

  private async writeStatus(object: Resource, status: Record<string, unknown>): Promise<void> {
    if (isDeepStrictEqual(object.status ?? {}, status)) return;
    try {
      const written = await this.options.resources.replace({ ...object, status });
      this.cache.put(written);
    } catch (error) {
      // Changed meanwhile (or deleted): the watch brings the new version, which is reconciled again.
      if (
        isMeshError(error) &&
        (error.code === 'MESH_RESOURCE_CONFLICT' || error.code === 'MESH_RESOURCE_NOT_FOUND')
      )
        return;
      throw error;
    }
  }

  private onDeleted(object: Resource): void {
    const namespace = object.metadata.namespace ?? 'default';
    // Access ends at once: unbinding happens here, on the watch event, not in the queued reconcile.
    if (object.kind === 'ApplicationMapping') applicationMappingDeleted(this.applicationContext(''), object);
    if (object.kind === APPLICATION_CREDENTIAL_KIND) {
      this.options.dataPlane.setApplicationTokenHash(object.metadata.name, undefined);
    }
    const work =
      object.kind === 'Trigger' && object.metadata.uid !== undefined
        ? this.options.dataPlane.removeTrigger(object.metadata.uid, { drop: true })
        : object.kind === 'Broker'
          ? this.options.dataPlane.removeBroker(namespace, object.metadata.name)
          : object.kind === 'Application'
            ? applicationDeleted(this.applicationContext(''), object)
            : object.kind === 'Function'
              ? this.options.dataPlane.removeFunction(namespace, object.metadata.name)
              : undefined;
    work?.catch((error: unknown) =>
      this.options.logger.error(
        { err: error, kind: object.kind, name: object.metadata.name },
        'cleanup after delete failed',
      ),
    );
  }
}

function keyOf(object: Resource): Key {
  return `${object.kind}\u0000${object.metadata.namespace ?? ''}\u0000${object.metadata.name}`;
}
