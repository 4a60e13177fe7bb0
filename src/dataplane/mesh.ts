/**
 * The data-plane runtime: the brokers and triggers the reconciler described, their routing indexes and
 * delivery loops, and ingestion (ingress, gateway and replies all store events through `ingest`).
 */
import type { CloudEvent } from '../core/cloudevents/model.js';
import { ARRIVAL_TIME_EXTENSION, DEFAULT_TTL, TTL_EXTENSION } from '../core/cloudevents/model.js';
import { toStructuredJson, withAttributes } from '../core/cloudevents/index.js';
import { compileDeliveryPolicy } from '../core/delivery/index.js';
import type { BrokerWiring, TriggerWiring } from '../core/wiring.js';
import { TriggerIndex } from '../core/filters/index.js';
import { MeshError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Backend, BackendKind } from '../store/contracts.js';
import { deliverToDeadLetterSink, deliverToSubscriber, type AttemptContext } from './delivery/attempt.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { OrderedQueue } from './delivery/ordered-queue.js';
import { parseTarget, type Sender } from './delivery/sender.js';
import { DeliveryHistory, type EventRecord, type HistoryQuery } from './history.js';
import { noMetrics, type MeshMetrics } from './metrics.js';
import { deadLetterQueueId, type BrokerRuntime, type TriggerRuntime } from './runtime-types.js';
import { TailHub, type TailItem } from './tail.js';

export interface MeshOptions {
  /** Opens the backend of a kind; rejects when that kind is not available (e.g. jetstream without --nats). */
  readonly backend: (kind: BackendKind) => Promise<Backend>;
  readonly sender: Sender;
  readonly logger: Logger;
  readonly metrics?: MeshMetrics;
  readonly history?: DeliveryHistory;
  /** Bounded wait for in-flight deliveries on close. */
  readonly drainMs?: number;
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
  private readonly triggers = new Map<string, TriggerRuntime>();
  private readonly metrics: MeshMetrics;
  readonly history: DeliveryHistory;
  private readonly attemptContext: AttemptContext;

  constructor(private readonly options: MeshOptions) {
    this.metrics = options.metrics ?? noMetrics;
    this.history = options.history ?? new DeliveryHistory();
    this.attemptContext = {
      sender: options.sender,
      history: this.history,
      metrics: this.metrics,
      ingestReply: (broker, events, ttl) => this.ingest(broker, events, ttl),
      onError: (error, context) => options.logger.warn({ err: error }, context),
    };
  }

  broker(namespace: string, name: string): BrokerRuntime | undefined {
    return this.brokers.get(brokerKey(namespace, name));
  }

  /** Creates the broker's runtime if missing. A broker keeps the backend it was first opened on. */
  async ensureBroker(desired: BrokerWiring): Promise<BrokerRuntime> {
    const key = brokerKey(desired.namespace, desired.name);
    const existing = this.brokers.get(key);
    if (existing) return existing;
    const backend = await this.options.backend(desired.backend);
    const store = await backend.broker({ namespace: desired.namespace, name: desired.name });
    const raced = this.brokers.get(key);
    if (raced) return raced;
    const broker: BrokerRuntime = {
      namespace: desired.namespace,
      name: desired.name,
      backend: desired.backend,
      store,
      index: new TriggerIndex<TriggerRuntime>(),
      tail: new TailHub(),
    };
    this.brokers.set(key, broker);
    return broker;
  }

  /** Stops the broker's triggers and deletes its events and queues. */
  async removeBroker(namespace: string, name: string): Promise<void> {
    const key = brokerKey(namespace, name);
    const broker = this.brokers.get(key);
    if (!broker) return;
    this.brokers.delete(key);
    const stopping = [...this.triggers.values()].filter((t) => t.broker === broker);
    await Promise.all(stopping.map((t) => this.removeTrigger(t.uid, { drop: false })));
    const backend = await this.options.backend(broker.backend);
    await backend.dropBroker({ namespace, name });
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
    const subscriber = parseTarget(desired.subscriberUri);
    const deadLetter = desired.deadLetterUri === undefined ? undefined : parseTarget(desired.deadLetterUri);
    const onCesqlError = (): void => this.metrics.cesqlError(desired.namespace, desired.name);
    const existing = this.triggers.get(desired.uid);
    if (existing && existing.broker === broker && existing.deliveryOrder === desired.deliveryOrder) {
      existing.subscriber = subscriber;
      existing.deadLetter = deadLetter;
      // Once running it keeps running without a sink, so what is queued there is recorded as undeliverable.
      if (deadLetter) existing.deadLetterDispatcher.start();
      existing.policy = policy;
      existing.maxInflight = desired.maxInflight;
      broker.index.set(desired.uid, desired.filter, existing, { onCesqlError });
      return;
    }
    if (existing) await this.removeTrigger(desired.uid, { drop: false });
    const leaseMs = (): number => entry.policy.timeoutMs + LEASE_MARGIN_MS;
    const onError = (error: unknown): void =>
      this.options.logger.error(
        { err: error, trigger: `${desired.namespace}/${desired.name}` },
        'delivery failed',
      );
    const storeQueue = broker.store.queue(desired.uid);
    const ordered =
      desired.deliveryOrder === 'ordered'
        ? new OrderedQueue({ queue: storeQueue, window: () => orderedWindow(entry.maxInflight), onError })
        : undefined;
    const entry: TriggerRuntime = {
      uid: desired.uid,
      namespace: desired.namespace,
      name: desired.name,
      broker,
      subscriber,
      deadLetter,
      policy,
      maxInflight: desired.maxInflight,
      deliveryOrder: desired.deliveryOrder,
      ordered,
      subscriberHeaders: { prefer: 'reply', 'kn-namespace': desired.namespace },
      deadLetterHeaders: { 'kn-namespace': desired.namespace },
      dispatcher: new Dispatcher({
        queue: ordered ?? storeQueue,
        handle: (lease) => deliverToSubscriber(this.attemptContext, entry, lease),
        maxInflight: () => entry.maxInflight,
        leaseMs,
        onError,
      }),
      deadLetterDispatcher: new Dispatcher({
        queue: broker.store.queue(deadLetterQueueId(desired.uid)),
        handle: (lease) => deliverToDeadLetterSink(this.attemptContext, entry, lease),
        maxInflight: () => entry.maxInflight,
        leaseMs,
        onError,
      }),
    };
    this.triggers.set(desired.uid, entry);
    broker.index.set(desired.uid, desired.filter, entry, { onCesqlError });
    entry.dispatcher.start();
    // A waiting delivery loop holds about 4 KB (an AbortSignal, a pending lease, the loop's frame): started
    // only for triggers with a sink, it no longer doubles the cost of every trigger (see
    // docs/decisions/performance-hot-path.md).
    if (deadLetter) entry.deadLetterDispatcher.start();
  }

  /** Stops a trigger's delivery; with `drop`, also forgets its pending deliveries (the trigger was deleted). */
  async removeTrigger(uid: string, options: { drop: boolean }): Promise<void> {
    const entry = this.triggers.get(uid);
    if (!entry) return;
    this.triggers.delete(uid);
    entry.broker.index.delete(uid);
    const drainMs = this.options.drainMs ?? 5000;
    await Promise.all([entry.dispatcher.stop(drainMs), entry.deadLetterDispatcher.stop(drainMs)]);
    await entry.ordered?.close();
    if (options.drop) {
      await entry.broker.store.dropQueue(uid);
      await entry.broker.store.dropQueue(deadLetterQueueId(uid));
    }
  }

  /**
   * Stores events in a broker with one pending delivery per matching trigger, all or nothing. Sets
   * `knativearrivaltime`, and `knativebrokerttl` when absent (or `ttl` for replies). Resolves once stored.
   */
  async ingest(broker: BrokerRuntime, events: readonly CloudEvent[], ttl?: number): Promise<void> {
    const arrival = new Date().toISOString();
    const items = events.map((event) => {
      const changes: Record<string, string | number> = { [ARRIVAL_TIME_EXTENSION]: arrival };
      if (ttl !== undefined) changes[TTL_EXTENSION] = ttl;
      else if (checkTtl(event) === undefined) changes[TTL_EXTENSION] = DEFAULT_TTL;
      const stored = withAttributes(event, changes);
      return { event: stored, queues: broker.index.match(stored) };
    });
    await broker.store.append(
      items.map((item) => ({ event: item.event, queues: item.queues.map((t) => t.uid) })),
    );
    this.metrics.eventsAccepted(broker.namespace, broker.name, items.length);
    for (const item of items) {
      const { attributes } = item.event;
      this.history.accepted({
        namespace: broker.namespace,
        broker: broker.name,
        source: String(attributes['source']),
        id: String(attributes['id']),
        type: String(attributes['type']),
        acceptedAt: arrival,
        triggers: item.queues.map((t) => t.name),
      });
      if (broker.tail.active) broker.tail.publish(toStructuredJson(item.event));
    }
  }

  tail(namespace: string, name: string, signal: AbortSignal): AsyncIterable<TailItem> {
    const broker = this.broker(namespace, name);
    if (!broker) throw new MeshError('MESH_BROKER_NOT_FOUND', `broker ${namespace}/${name} does not exist`);
    return broker.tail.subscribe(signal);
  }

  deliveries(query: HistoryQuery): EventRecord[] {
    return this.history.query(query);
  }

  /** Re-queues for a trigger every retained event since `since` that its filter matches. */
  async replay(namespace: string, trigger: string, since: Date): Promise<number> {
    const entry = [...this.triggers.values()].find((t) => t.namespace === namespace && t.name === trigger);
    if (!entry)
      throw new MeshError('MESH_RESOURCE_NOT_FOUND', `trigger ${namespace}/${trigger} is not running`);
    const matches = entry.broker.index.predicate(entry.uid);
    if (!matches)
      throw new MeshError('MESH_RESOURCE_NOT_FOUND', `trigger ${namespace}/${trigger} is not running`);
    return entry.broker.store.replay(entry.uid, since, matches);
  }

  /** Stops every delivery loop (bounded drain); stores are closed by their owner. */
  async close(): Promise<void> {
    await Promise.all([...this.triggers.keys()].map((uid) => this.removeTrigger(uid, { drop: false })));
    this.brokers.clear();
  }
}

/**
 * Validates a producer-sent `knativebrokerttl`: an integer above 0 (0 means the event has looped too often).
 * Returns it, or undefined when absent.
 */
function checkTtl(event: CloudEvent): number | undefined {
  const value = event.attributes[TTL_EXTENSION];
  if (value === undefined) return undefined;
  const ttl = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(ttl)) {
    throw new MeshError(
      'MESH_EVENT_INVALID',
      `attribute '${TTL_EXTENSION}': must be an integer, got '${String(value)}'`,
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

function brokerKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
