/**
 * The data-plane runtime: the brokers and triggers the reconciler described, their routing indexes and
 * delivery loops, and ingestion (ingress, gateway and replies all store events through `ingest`).
 */
import type { Context } from '@opentelemetry/api';
import type { CloudEvent } from '../core/cloudevents/model.js';
import { truncateEcho } from '../core/echo.js';
import { ARRIVAL_TIME_EXTENSION, DEFAULT_TTL, TTL_EXTENSION } from '../core/cloudevents/model.js';
import { ArrivalClock, withAttributes } from '../core/cloudevents/index.js';
import { compileDeliveryPolicy } from '../core/delivery/index.js';
import type { BrokerMigration, BrokerWiring, TriggerWiring } from '../core/wiring.js';
import type { DeliveryOrder } from '../core/resources/index.js';
import { BACKEND_NOT_READY } from '../core/resources/broker/conditions.js';
import { TriggerIndex } from '../core/filters/index.js';
import { MeshError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AppendItem, Backend, PersistenceKind } from '../store/contracts.js';
import { createDeliverer, type Deliverer } from './delivery/deliver.js';
import type { Step } from './delivery/pipeline.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { OrderedQueue } from './delivery/ordered-queue.js';
import { MergedQueue } from '../store/merged-queue.js';
import { DeliveryLog } from './delivery/log.js';
import { parseTarget, type Sender, type Target } from './delivery/sender.js';
import type { OwnSenders } from './authz/own-senders.js';
import type { AcceptedEntry } from '../store/history.js';
import { brokerHistoryIn, DeliveryHistory, type EventRecord, type HistoryQuery } from './history.js';
import { brokerStats, type BrokerStats } from './history-stats.js';
import { noMetrics, type MeshMetrics, type TriggerStats } from './metrics.js';
import { filterTypeOf, statsOf, tailFilter } from './observe.js';
import { deadLetterQueueId, type BrokerRuntime, type TriggerRuntime } from './runtime-types.js';
import { TailHub, type TailItem } from './tail.js';
import { endSpan, TRACEPARENT, traceIdOf, tracingOff, type MeshTracing } from './tracing.js';

export interface MeshOptions {
  /** Opens the backend of a kind; rejects when that kind is not available (e.g. jetstream without --nats). */
  readonly backend: (kind: PersistenceKind) => Promise<Backend>;
  readonly sender: Sender;
  readonly logger: Logger;
  readonly metrics?: MeshMetrics;
  readonly history?: DeliveryHistory;
  readonly tracing?: MeshTracing;
  /** Steps wrapped around every delivery, outermost first (delivery/pipeline.ts). */
  readonly deliverySteps?: readonly Step[];
  /** Bounded wait for in-flight deliveries on close. */
  readonly drainMs?: number;
  /** Identities of cemesh's own senders (trigger replies and deliveries to its ingress); absent: none. */
  readonly ownSenders?: OwnSenders;
}

/**
 * How many deliveries an ordered trigger holds at once (in flight, waiting for a retry, or behind an older
 * event of their key): enough that keys blocked by a failing subscriber leave room for the others.
 */
function orderedWindow(maxInflight: number): number {
  return Math.min(10_000, Math.max(1_000, 10 * maxInflight));
}

/** Extra lease time beyond the attempt timeout, so a slow but live attempt is not handed out twice. */
const LEASE_MARGIN_MS = 30_000;

export class Mesh {
  private readonly brokers = new Map<string, BrokerRuntime>();
  private readonly arrivalClock = new ArrivalClock();
  /** Brokers whose Ready condition is not True, with why: ingress refuses them (503) instead of storing. */
  private readonly notReady = new Map<string, string>();
  /** Brokers being moved to another backend, with where to: ingress refuses them (503) meanwhile. */
  private readonly migrating = new Map<string, PersistenceKind>();
  private stopping = false;
  private readonly triggers = new Map<string, TriggerRuntime>();
  /** Delivery headers shared by a namespace's triggers (subscriberHeaders). */
  private readonly headersByNamespace = new Map<string, NamespaceHeaders>();
  private readonly metrics: MeshMetrics;
  readonly history: DeliveryHistory;
  private readonly tracing: MeshTracing;
  private readonly deliverer: Deliverer;

  constructor(private readonly options: MeshOptions) {
    this.metrics = options.metrics ?? noMetrics;
    this.history = options.history ?? new DeliveryHistory();
    this.tracing = options.tracing ?? tracingOff;
    this.deliverer = createDeliverer({
      sender: options.sender,
      metrics: this.metrics,
      tracing: this.tracing,
      log: new DeliveryLog(options.logger),
      ingestReply: async (broker, events, ttl, parent, from) => {
        if (from !== undefined) options.ownSenders?.authorizeReply(broker, from, events);
        await this.ingest(broker, events, ttl, parent);
      },
      onError: (error, context) => options.logger.warn({ err: error }, context),
      ...(options.deliverySteps === undefined ? {} : { extraSteps: options.deliverySteps }),
    });
  }

  broker(namespace: string, name: string): BrokerRuntime | undefined {
    return this.brokers.get(brokerKey(namespace, name));
  }

  /**
   * The broker an event for `namespace/name` may be stored in now, or the refusal: not found (404), not
   * Ready (503 with its reason), or the server is shutting down (503). An event stored in a broker that
   * is not Ready would be acknowledged while its triggers are not wired, and never be delivered.
   */
  accepting(namespace: string, name: string): BrokerRuntime {
    if (this.stopping)
      throw new MeshError('MESH_SHUTTING_DOWN', 'cemesh is shutting down; send again shortly');
    const key = brokerKey(namespace, name);
    const to = this.migrating.get(key);
    if (to !== undefined) {
      throw new MeshError(
        'MESH_BROKER_NOT_READY',
        `broker ${namespace}/${name} is not Ready: Migrating: its events are being moved to ${to}`,
      );
    }
    const reason = this.notReady.get(key);
    if (reason !== undefined) {
      throw new MeshError('MESH_BROKER_NOT_READY', `broker ${namespace}/${name} is not Ready: ${reason}`);
    }
    const broker = this.brokers.get(key);
    if (!broker) throw new MeshError('MESH_BROKER_NOT_FOUND', `broker ${namespace}/${name} does not exist`);
    return broker;
  }

  /** Records the broker's Ready condition: `undefined` when Ready, else its reason and message. */
  setBrokerReadiness(namespace: string, name: string, notReady: string | undefined): void {
    const key = brokerKey(namespace, name);
    if (notReady === undefined) this.notReady.delete(key);
    else this.notReady.set(key, notReady);
  }

  /** From now on every ingestion is refused with MESH_SHUTTING_DOWN (graceful shutdown). */
  stopAccepting(): void {
    this.stopping = true;
  }

  /** Creates the broker's runtime if missing. A broker keeps the backend it was first opened on. */
  async ensureBroker(desired: BrokerWiring): Promise<BrokerRuntime> {
    const key = brokerKey(desired.namespace, desired.name);
    const existing = this.brokers.get(key);
    if (existing) return existing;
    // The broker exists from here on, its store not yet open (connecting, creating streams on a cluster can take
    // seconds): ingress answers 503 until the reconciler says it is Ready, never 404 "does not exist".
    if (!this.notReady.has(key)) this.notReady.set(key, `${BACKEND_NOT_READY}: its store is being opened`);
    const backend = await this.options.backend(desired.backend);
    const store = await backend.broker(
      { namespace: desired.namespace, name: desired.name },
      { shards: desired.shards },
    );
    const raced = this.brokers.get(key);
    if (raced) return raced;
    const broker: BrokerRuntime = {
      namespace: desired.namespace,
      name: desired.name,
      backend: desired.backend,
      store,
      history: store.history ?? brokerHistoryIn(this.history, desired.namespace, desired.name),
      index: new TriggerIndex<TriggerRuntime>(),
      tail: new TailHub(),
      appending: new Set(),
    };
    this.brokers.set(key, broker);
    return broker;
  }

  /**
   * Moves a broker's pending events, with their deliveries' retry state, to the `to` backend
   * (docs/decisions/broker-migration.md): ingress refuses the broker meanwhile (503), its delivery loops
   * stop (in-flight attempts finish within the drain), appends under way finish, then what the old store
   * holds is imported into the new one in one all-or-nothing write. Only once that is stored do the loops
   * start on the new store and the old copy get dropped; a failure before leaves the broker where it was.
   */
  async migrateBroker(namespace: string, name: string, to: PersistenceKind): Promise<BrokerMigration> {
    const key = brokerKey(namespace, name);
    const broker = this.brokers.get(key);
    if (!broker) throw new MeshError('MESH_BROKER_NOT_FOUND', `broker ${namespace}/${name} does not exist`);
    const from = broker.backend;
    if (from === to) return { from, to, events: 0, deliveries: 0, retries: 0 };
    if (this.migrating.has(key))
      throw new MeshError('MESH_RESOURCE_CONFLICT', `broker ${namespace}/${name} is being migrated already`);
    const source = broker.store;
    const target = await (await this.options.backend(to)).broker({ namespace, name });
    if (source.exportPending === undefined || target.importPending === undefined) {
      const which = source.exportPending === undefined ? from : to;
      throw new MeshError(
        'MESH_REQUEST_INVALID',
        `broker ${namespace}/${name} cannot move from ${from} to ${to}: the ${which} backend cannot carry pending deliveries with their retry state`,
      );
    }
    this.migrating.set(key, to);
    const triggers = [...this.triggers.values()].filter((t) => t.broker === broker);
    try {
      const drainMs = this.options.drainMs ?? 5000;
      await Promise.all(
        triggers.flatMap((t) => [t.dispatcher.stop(drainMs), t.deadLetterDispatcher?.stop(drainMs)]),
      );
      await Promise.allSettled([...broker.appending]);
      const pending = await source.exportPending();
      await target.importPending(pending);
      const deliveries = pending.flatMap((p) => p.deliveries);
      broker.store = target;
      broker.backend = to;
      broker.history = target.history ?? brokerHistoryIn(this.history, namespace, name);
      this.restartLoops(triggers);
      this.migrating.delete(key);
      await (await this.options.backend(from)).dropBroker({ namespace, name }).catch((error: unknown) => {
        this.options.logger.warn(
          { err: error, broker: key },
          'the old copy of a migrated broker was not dropped',
        );
      });
      return {
        from,
        to,
        events: pending.length,
        deliveries: deliveries.length,
        retries: deliveries.filter((d) => d.attempt > 0).length,
      };
    } catch (error) {
      if (broker.store === source) this.restartLoops(triggers);
      this.migrating.delete(key);
      throw error;
    }
  }

  /** New delivery loops for triggers whose loops were stopped (a stopped Dispatcher does not start again). */
  private restartLoops(triggers: readonly TriggerRuntime[]): void {
    for (const t of triggers) {
      if (!this.triggers.has(t.uid)) continue;
      const deadLetterRan = t.deadLetterDispatcher !== undefined;
      t.dispatcher = this.dispatcher(t, () => t, 'subscriber');
      t.deadLetterDispatcher = undefined;
      if (!t.paused) t.dispatcher.start();
      if (deadLetterRan || t.deadLetter) this.startDeadLetter(t);
    }
  }

  /** Stops the broker's triggers and deletes its events and queues. */
  async removeBroker(namespace: string, name: string): Promise<void> {
    const key = brokerKey(namespace, name);
    this.notReady.delete(key);
    const broker = this.brokers.get(key);
    if (!broker) return;
    this.brokers.delete(key);
    const stopping = [...this.triggers.values()].filter((t) => t.broker === broker);
    await Promise.all(stopping.map((t) => this.removeTrigger(t.uid, { drop: false })));
    const backend = await this.options.backend(broker.backend);
    await backend.dropBroker({ namespace, name });
  }

  /**
   * `Prefer: reply`, `kn-namespace`, and the trigger's identity when the subscriber is cemesh's ingress. A
   * trigger with nothing of its own to add shares its namespace's frozen headers: 10,000 triggers wired at once
   * built 10,000 equal objects (37 ms of SA's server profile).
   */
  private subscriberHeaders(desired: TriggerWiring, target: Target): Readonly<Record<string, string>> {
    const own = this.options.ownSenders?.deliveryHeaders(target.origin, desired.namespace, desired.name);
    const shared = this.namespaceHeaders(desired.namespace).subscriber;
    if (isEmpty(own) && isEmpty(desired.deliverAs?.headers)) return shared;
    // Object.assign, not a spread: a spread that adds keys costs about 1 us a key (bench/object-extend.ts).
    return Object.assign({}, shared, own, desired.deliverAs?.headers);
  }

  private deadLetterHeaders(
    desired: TriggerWiring,
    target: Target | undefined,
  ): Readonly<Record<string, string>> {
    const shared = this.namespaceHeaders(desired.namespace).deadLetter;
    if (target === undefined) return shared;
    const own = this.options.ownSenders?.deliveryHeaders(target.origin, desired.namespace, desired.name);
    return isEmpty(own) ? shared : Object.assign({}, shared, own);
  }

  /** The headers every delivery of a namespace's triggers carries, one frozen pair per namespace. */
  private namespaceHeaders(namespace: string): NamespaceHeaders {
    let headers = this.headersByNamespace.get(namespace);
    if (headers === undefined) {
      headers = {
        subscriber: Object.freeze({ prefer: 'reply', 'kn-namespace': namespace }),
        deadLetter: Object.freeze({ 'kn-namespace': namespace }),
      };
      this.headersByNamespace.set(namespace, headers);
    }
    return headers;
  }

  /** Creates or updates a trigger's runtime; its broker must exist. */
  async ensureTrigger(desired: TriggerWiring): Promise<void> {
    const broker = this.broker(desired.namespace, desired.broker);
    if (!broker) {
      throw new MeshError(
        'MESH_BROKER_NOT_FOUND',
        `broker ${desired.namespace}/${desired.broker} does not exist`,
      );
    }
    const policy = compileDeliveryPolicy(desired.delivery);
    const subscriber = parseTarget(desired.subscriberUri, desired.subscriberCaCerts);
    const deadLetter =
      desired.deadLetterUri === undefined
        ? undefined
        : parseTarget(desired.deadLetterUri, desired.deadLetterCaCerts);
    const onCesqlError = (): void => this.metrics.cesqlError(desired.namespace, desired.name);
    const existing = this.triggers.get(desired.uid);
    if (existing && existing.broker === broker && existing.deliveryOrder === desired.deliveryOrder) {
      existing.subscriber = subscriber;
      existing.deadLetter = deadLetter;
      existing.subscriberHeaders = this.subscriberHeaders(desired, subscriber);
      existing.deadLetterHeaders = this.deadLetterHeaders(desired, deadLetter);
      // Once running it keeps running without a sink, so what is queued there is recorded as undeliverable.
      if (deadLetter) this.startDeadLetter(existing);
      existing.policy = policy;
      existing.maxInflight = desired.maxInflight;
      existing.filterType = filterTypeOf(desired.filter);
      existing.deliveredType = desired.deliverAs?.type;
      broker.index.set(desired.uid, desired.filter, existing, { onCesqlError });
      await this.setPaused(existing, desired.paused);
      return;
    }
    if (existing) await this.removeTrigger(desired.uid, { drop: false });
    const entry: TriggerRuntime = {
      uid: desired.uid,
      namespace: desired.namespace,
      name: desired.name,
      broker,
      subscriber,
      deadLetter,
      policy,
      maxInflight: desired.maxInflight,
      filterType: filterTypeOf(desired.filter),
      paused: desired.paused,
      deliveryOrder: desired.deliveryOrder,
      subscriberHeaders: this.subscriberHeaders(desired, subscriber),
      deliveredType: desired.deliverAs?.type,
      deadLetterHeaders: this.deadLetterHeaders(desired, deadLetter),
      dispatcher: this.dispatcher(
        {
          uid: desired.uid,
          namespace: desired.namespace,
          name: desired.name,
          broker,
          deliveryOrder: desired.deliveryOrder,
        },
        () => entry,
        'subscriber',
      ),
      deadLetterDispatcher: undefined,
    };
    this.triggers.set(desired.uid, entry);
    broker.index.set(desired.uid, desired.filter, entry, { onCesqlError });
    if (!entry.paused) entry.dispatcher.start();
    if (deadLetter) this.startDeadLetter(entry);
  }

  /**
   * The dead-letter loop, created and started when the trigger first has a sink: a loop costs about 1.5 KB
   * even before it waits (the Dispatcher, its closures, its AbortController, the queue handle), and
   * nothing reaches the dead-letter queue of a trigger that never had one (see
   * docs/decisions/performance-hot-path.md). Once running it keeps running.
   */
  private startDeadLetter(entry: TriggerRuntime): void {
    entry.deadLetterDispatcher ??= this.dispatcher(entry, () => entry, 'dead-letter');
    entry.deadLetterDispatcher.start();
  }

  /** `entry` is read on every delivery: the runtime entry is built after its loops. */
  private dispatcher(
    trigger: {
      readonly uid: string;
      readonly namespace: string;
      readonly name: string;
      readonly broker: BrokerRuntime;
      readonly deliveryOrder: DeliveryOrder;
    },
    entry: () => TriggerRuntime,
    target: 'subscriber' | 'dead-letter',
  ): Dispatcher {
    // The closures read the runtime entry, never `trigger`, so that the object passed in is not kept.
    const onError = (error: unknown): void =>
      this.options.logger.error(
        { err: error, trigger: `${entry().namespace}/${entry().name}` },
        'delivery failed',
      );
    const queue = trigger.broker.store.queue(
      target === 'subscriber' ? trigger.uid : deadLetterQueueId(trigger.uid),
    );
    // Per-key order applies to the subscriber; what reaches the dead-letter sink is not ordered. On a
    // sharded broker each shard's queue is ordered by itself (a key lives in one shard), with its own claim.
    const ordered =
      target === 'subscriber' && trigger.deliveryOrder === 'ordered'
        ? (queue.parts ?? [queue]).map(
            (part) =>
              new OrderedQueue({ queue: part, window: () => orderedWindow(entry().maxInflight), onError }),
          )
        : undefined;
    const merged =
      ordered === undefined ? queue : ordered.length === 1 ? ordered[0] : new MergedQueue(ordered);
    return new Dispatcher({
      queue: merged ?? queue,
      ...(ordered
        ? { afterStop: () => Promise.all(ordered.map((o) => o.close())).then(() => undefined) }
        : {}),
      handle: (lease) =>
        target === 'subscriber'
          ? this.deliverer.toSubscriber(entry(), lease)
          : this.deliverer.toDeadLetterSink(entry(), lease),
      maxInflight: () => entry().maxInflight,
      slots: () => {
        const destination = target === 'subscriber' ? entry().subscriber : entry().deadLetter;
        return destination === undefined ? undefined : this.options.sender.slots?.(destination);
      },
      leaseMs: () => entry().policy.timeoutMs + LEASE_MARGIN_MS,
      onError,
    });
  }

  /**
   * A paused trigger keeps its place in the routing index, so matching events still queue for it (the
   * backlog is kept); only its subscriber loop stops, after in-flight deliveries finish. Resuming starts a
   * new loop on the same queue. Its dead-letter loop goes on: what already failed still reaches the sink.
   */
  private async setPaused(entry: TriggerRuntime, paused: boolean): Promise<void> {
    if (entry.paused === paused) return;
    entry.paused = paused;
    if (!paused) {
      entry.dispatcher.start();
      return;
    }
    const running = entry.dispatcher;
    entry.dispatcher = this.dispatcher(entry, () => entry, 'subscriber');
    await running.stop(this.options.drainMs ?? 5000);
  }

  /** Stops a trigger's delivery; with `drop`, also forgets its pending deliveries (the trigger was deleted). */
  async removeTrigger(uid: string, options: { drop: boolean }): Promise<void> {
    const entry = this.triggers.get(uid);
    if (!entry) return;
    this.triggers.delete(uid);
    entry.broker.index.delete(uid);
    const drainMs = this.options.drainMs ?? 5000;
    await Promise.all([entry.dispatcher.stop(drainMs), entry.deadLetterDispatcher?.stop(drainMs)]);
    if (options.drop) {
      await entry.broker.store.dropQueue(uid);
      await entry.broker.store.dropQueue(deadLetterQueueId(uid));
    }
  }

  /**
   * Stores events in a broker with one pending delivery per matching trigger, all or nothing. Sets
   * `knativearrivaltime`, and `knativebrokerttl` when absent (or `ttl` for replies). Resolves once stored.
   * `parent` is the trace context of the request (or reply) that brought the events, when it names one.
   */
  async ingest(
    broker: BrokerRuntime,
    events: readonly CloudEvent[],
    ttl?: number,
    parent?: Context,
  ): Promise<void> {
    const arrival = this.arrivalClock.text();
    const spanName = `route ${broker.namespace}/${broker.name}`;
    const items = events.map((event) => {
      const changes: Record<string, string | number | undefined> = { [ARRIVAL_TIME_EXTENSION]: arrival };
      if (ttl !== undefined) changes[TTL_EXTENSION] = ttl;
      else if (checkTtl(event) === undefined) changes[TTL_EXTENSION] = DEFAULT_TTL;
      const span = this.tracing.route(spanName, event, parent, changes);
      const stored = withAttributes(event, changes);
      const queues = broker.index.match(stored);
      span?.setAttribute('cemesh.triggers', queues.map((t) => t.name).join(','));
      return { event: stored, queues, span };
    });
    const durableHistory = broker.store.history !== undefined;
    const appended = items.map((item): AppendItem => {
      const queues = item.queues.map((t) => t.uid);
      return durableHistory
        ? { event: item.event, queues, history: acceptedEntry(item.event, arrival, item.queues) }
        : { event: item.event, queues };
    });
    const started = performance.now();
    const append = broker.store.append(appended);
    broker.appending.add(append);
    try {
      await append;
    } catch (error) {
      for (const item of items) endSpan(item.span, error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      broker.appending.delete(append);
    }
    this.metrics.storeCommit(broker.backend, performance.now() - started);
    for (const item of items) endSpan(item.span);
    this.metrics.eventsAccepted(broker.namespace, broker.name, items.length);
    for (const item of items) {
      if (!durableHistory) {
        this.history.accepted({
          namespace: broker.namespace,
          broker: broker.name,
          ...acceptedEntry(item.event, arrival, item.queues),
        });
      }
      if (broker.tail.active) broker.tail.publish(item.event);
    }
  }

  /**
   * The live view of a broker; `options.filter` is a CESQL expression (MESH_REQUEST_INVALID when it does not
   * compile), `options.outcomes` adds each delivery's outcome.
   */
  tail(
    namespace: string,
    name: string,
    signal: AbortSignal,
    options: { filter?: string; outcomes?: boolean } = {},
  ): AsyncIterable<TailItem> {
    const broker = this.broker(namespace, name);
    if (!broker) throw new MeshError('MESH_BROKER_NOT_FOUND', `broker ${namespace}/${name} does not exist`);
    return broker.tail.subscribe(signal, {
      ...(options.filter === undefined ? {} : { filter: tailFilter(options.filter) }),
      outcomes: options.outcomes === true,
    });
  }

  /** Per trigger: attempts under way, and what its queues hold (when the backend can tell). */
  triggerStats(now = Date.now()): TriggerStats[] {
    return [...this.triggers.values()].map((t) => statsOf(t, now));
  }

  /**
   * History records, newest first: of one broker from where it keeps them; of a namespace from the
   * in-memory history and every durable broker history of the namespace, merged by acceptance time.
   */
  async deliveries(query: HistoryQuery): Promise<EventRecord[]> {
    const { namespace, broker: name, ...rest } = query;
    if (name !== undefined) {
      const broker = this.broker(namespace, name);
      return broker === undefined ? this.history.query(query) : broker.history.query(rest);
    }
    const durable = [...this.brokers.values()].filter(
      (b) => b.namespace === namespace && b.store.history !== undefined,
    );
    if (durable.length === 0) return this.history.query(query);
    const answers = await Promise.all(durable.map((b) => b.history.query(rest)));
    const merged = [this.history.query(query), ...answers].flat();
    merged.sort((a, b) => (a.acceptedAt < b.acceptedAt ? 1 : a.acceptedAt > b.acceptedAt ? -1 : 0));
    return merged.slice(0, query.limit ?? 100);
  }

  async stats(namespace: string, name: string, windowSeconds: number): Promise<BrokerStats> {
    const broker = this.broker(namespace, name);
    if (!broker) throw new MeshError('MESH_BROKER_NOT_FOUND', `broker ${namespace}/${name} does not exist`);
    return brokerStats({ namespace, broker: name }, await broker.history.retained(), {
      nowMs: Date.now(),
      windowSeconds,
    });
  }

  /**
   * Delivers one retained event to a trigger's subscriber again (a dead-lettered one, typically): the
   * store's replay limited to that event, from the time the history says it was accepted. Its history
   * record goes back to pending and collects the new attempts.
   */
  async redeliver(
    namespace: string,
    trigger: string,
    event: { source: string; id: string },
  ): Promise<number> {
    const entry = this.runningTrigger(namespace, trigger);
    const { history } = entry.broker;
    const record = (await history.query({ ...event, limit: 1 }))[0];
    const since = record === undefined ? new Date(0) : new Date(record.acceptedAt);
    const count = await entry.broker.store.replay(
      entry.uid,
      since,
      (e) => e.attributes['source'] === event.source && e.attributes['id'] === event.id,
    );
    if (count > 0 && record?.triggers[trigger] !== undefined) history.outcome(event, trigger, 'pending');
    return count;
  }

  /** Re-queues for a trigger every retained event since `since` that its filter matches. */
  async replay(namespace: string, trigger: string, since: Date): Promise<number> {
    const entry = this.runningTrigger(namespace, trigger);
    const matches = entry.broker.index.predicate(entry.uid);
    if (!matches)
      throw new MeshError('MESH_RESOURCE_NOT_FOUND', `trigger ${namespace}/${trigger} is not running`);
    return entry.broker.store.replay(entry.uid, since, matches);
  }

  private runningTrigger(namespace: string, trigger: string): TriggerRuntime {
    const entry = [...this.triggers.values()].find((t) => t.namespace === namespace && t.name === trigger);
    if (!entry)
      throw new MeshError('MESH_RESOURCE_NOT_FOUND', `trigger ${namespace}/${trigger} is not running`);
    return entry;
  }

  /** Stops every delivery loop (bounded drain); stores are closed by their owner. */
  async close(): Promise<void> {
    await Promise.all([...this.triggers.keys()].map((uid) => this.removeTrigger(uid, { drop: false })));
    this.brokers.clear();
  }
}

/** What the history records of an event when it is stored. */
function acceptedEntry(
  event: CloudEvent,
  acceptedAt: string,
  triggers: readonly TriggerRuntime[],
): AcceptedEntry {
  const { attributes } = event;
  return {
    source: String(attributes['source']),
    id: String(attributes['id']),
    type: String(attributes['type']),
    acceptedAt,
    triggers: triggers.map((t) => t.name),
    // Parsed only for events that carry a trace.
    traceId: attributes[TRACEPARENT] === undefined ? undefined : traceIdOf(event),
  };
}

/**
 * Validates a producer-sent `knativebrokerttl`: an integer above 0 (0 means the event has looped too often).
 * Returns it, or undefined when absent.
 */
const TTL_TEXT = /^[+-]?[0-9]{1,10}$/;
const INT32_MAX = 2147483647;

function checkTtl(event: CloudEvent): number | undefined {
  const value = event.attributes[TTL_EXTENSION];
  if (value === undefined) return undefined;
  // An Integer (CloudEvents type system: 32-bit signed), in binary mode a header of decimal digits: Number()
  // alone would take '99999999999999999999' (1e20), '0x10' or '1e3'.
  const ttl = typeof value === 'number' ? value : TTL_TEXT.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(ttl) || ttl > INT32_MAX) {
    throw new MeshError(
      'MESH_EVENT_INVALID',
      `attribute '${TTL_EXTENSION}': must be an integer of at most ${INT32_MAX}, got '${truncateEcho(String(value), 64)}'`,
      {
        attribute: TTL_EXTENSION,
        rule: 'type:Integer',
      },
    );
  }
  if (ttl <= 0) {
    throw new MeshError(
      'MESH_TTL_EXHAUSTED',
      `attribute '${TTL_EXTENSION}' is ${ttl}: the event has looped too often`,
      {
        attribute: TTL_EXTENSION,
        rule: 'ttl',
      },
    );
  }
  return ttl;
}

interface NamespaceHeaders {
  readonly subscriber: Readonly<Record<string, string>>;
  readonly deadLetter: Readonly<Record<string, string>>;
}

function isEmpty(headers: Readonly<Record<string, string>> | undefined): boolean {
  if (headers === undefined) return true;
  for (const _ in headers) return false;
  return true;
}

function brokerKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
