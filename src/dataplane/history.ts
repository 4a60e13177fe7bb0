/**
 * The in-memory delivery history (src/store/history.ts describes what it records), for brokers whose backend
 * keeps none (memory). Bounded: the oldest events are forgotten once `maxEvents` are held.
 *
 * Every accepted event passes through here and the latest `maxEvents` stay alive long enough to reach V8's
 * old generation, so what each holds is kept to few objects: records sit in a ring (no per-event key
 * string), are found through a Map keyed by the event's own `id` string, keep one trigger's delivery without
 * an array, and a delivery's first attempt without an array. The public shape is built only when queried.
 */
import {
  deliveriesMatch,
  eventRecordOf,
  RETAINED_FOR_STATS,
  TriggerDelivery,
  type BrokerHistory,
  type BrokerHistoryQuery,
  type DeliveryOutcome,
  type EventRecord,
  type HistoryQuery,
  type RetainedEvent,
} from '../store/history.js';

export type {
  AttemptInput,
  AttemptRecord,
  DeliveryOutcome,
  EventRecord,
  HistoryQuery,
  OutcomeFilter,
  RetainedEvent,
  TriggerDeliveryRecord,
} from '../store/history.js';
export { TriggerDelivery } from '../store/history.js';

/** An event in the in-memory history, which holds every broker of the process. */
export interface EventKey {
  readonly namespace: string;
  readonly broker: string;
  readonly source: string;
  readonly id: string;
}

class StoredEvent {
  /** Replaced by a later event with the same key: skipped by queries until its slot is reused. */
  superseded = false;
  /** The next record whose event has the same `id` (another source, broker or namespace). */
  sameId: StoredEvent | undefined;

  constructor(
    readonly namespace: string,
    readonly broker: string,
    readonly source: string,
    readonly id: string,
    readonly type: string,
    readonly acceptedAt: string,
    /** One trigger's delivery alone, or several in an array. */
    readonly deliveries: TriggerDelivery | readonly TriggerDelivery[],
    readonly traceId: string | undefined,
  ) {}

  is(key: EventKey): boolean {
    return this.source === key.source && this.broker === key.broker && this.namespace === key.namespace;
  }

  delivery(trigger: string): TriggerDelivery | undefined {
    const { deliveries } = this;
    if (deliveries instanceof TriggerDelivery) return deliveries.trigger === trigger ? deliveries : undefined;
    return deliveries.find((d) => d.trigger === trigger);
  }

  all(): readonly TriggerDelivery[] {
    return this.deliveries instanceof TriggerDelivery ? [this.deliveries] : this.deliveries;
  }
}

export class DeliveryHistory {
  /** The latest records, oldest at `next` once full. */
  private readonly ring: (StoredEvent | undefined)[];
  private next = 0;
  /** Current (not superseded) records by event id, chained through `sameId`. */
  private readonly byId = new Map<string, StoredEvent>();

  constructor(maxEvents = 10_000) {
    this.ring = new Array<StoredEvent | undefined>(Math.max(1, maxEvents)).fill(undefined);
  }

  accepted(input: {
    namespace: string;
    broker: string;
    source: string;
    id: string;
    type: string;
    acceptedAt: string;
    triggers: readonly string[];
    traceId?: string | undefined;
  }): void {
    const { triggers } = input;
    const deliveries =
      triggers.length === 1
        ? new TriggerDelivery(triggers[0]!)
        : triggers.map((trigger) => new TriggerDelivery(trigger));
    const record = new StoredEvent(
      input.namespace,
      input.broker,
      input.source,
      input.id,
      input.type,
      input.acceptedAt,
      deliveries,
      input.traceId,
    );
    // A re-sent event (same source and id) starts a new record at the newest end.
    const previous = this.find(input);
    if (previous !== undefined) this.unlink(previous);
    const evicted = this.ring[this.next];
    if (evicted !== undefined && !evicted.superseded) this.unlink(evicted);
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.ring.length;
    record.sameId = this.byId.get(record.id);
    this.byId.set(record.id, record);
  }

  /** The record of `trigger`'s delivery of an event; undefined when the event was forgotten or not routed there. */
  delivery(event: EventKey, trigger: string): TriggerDelivery | undefined {
    return this.find(event)?.delivery(trigger);
  }

  /** Matching records, newest first. */
  query(query: HistoryQuery): EventRecord[] {
    const limit = query.limit ?? 100;
    const found: EventRecord[] = [];
    const size = this.ring.length;
    for (let back = 1; back <= size && found.length < limit; back++) {
      const record = this.ring[(this.next - back + size) % size];
      if (record === undefined) break;
      if (record.superseded || record.namespace !== query.namespace) continue;
      if (query.broker !== undefined && record.broker !== query.broker) continue;
      if (query.source !== undefined && record.source !== query.source) continue;
      if (query.id !== undefined && record.id !== query.id) continue;
      const deliveries = record.all();
      if (!deliveriesMatch(deliveries, query)) continue;
      found.push(eventRecordOf(record, deliveries));
    }
    return found;
  }

  /** A broker's retained events, newest first, as the statistics read them. */
  *retained(namespace: string, broker: string): Generator<RetainedEvent> {
    const size = this.ring.length;
    for (let back = 1; back <= size; back++) {
      const record = this.ring[(this.next - back + size) % size];
      if (record === undefined) break;
      if (record.superseded || record.namespace !== namespace || record.broker !== broker) continue;
      yield {
        source: record.source,
        id: record.id,
        acceptedAt: record.acceptedAt,
        deliveries: record.all(),
      };
    }
  }

  private find(key: EventKey): StoredEvent | undefined {
    for (let r = this.byId.get(key.id); r !== undefined; r = r.sameId) if (r.is(key)) return r;
    return undefined;
  }

  /** Takes a record out of the id index and marks it superseded. */
  private unlink(record: StoredEvent): void {
    record.superseded = true;
    const head = this.byId.get(record.id);
    if (head === record) {
      if (record.sameId === undefined) this.byId.delete(record.id);
      else this.byId.set(record.id, record.sameId);
    } else {
      for (let r = head; r !== undefined; r = r.sameId) {
        if (r.sameId === record) {
          r.sameId = record.sameId;
          break;
        }
      }
    }
    record.sameId = undefined;
  }
}

/** One broker's view of the in-memory history, as the data plane reads every broker's history. */
export function brokerHistoryIn(history: DeliveryHistory, namespace: string, broker: string): BrokerHistory {
  const keyOf = (key: { source: string; id: string }): EventKey => ({ namespace, broker, ...key });
  return {
    attempt(key, trigger, attempt, outcome) {
      const delivery = history.delivery(keyOf(key), trigger);
      if (delivery === undefined) return;
      delivery.attempt(attempt);
      if (outcome !== undefined) delivery.outcome = outcome;
    },
    outcome(key, trigger, outcome: DeliveryOutcome) {
      const delivery = history.delivery(keyOf(key), trigger);
      if (delivery !== undefined) delivery.outcome = outcome;
    },
    query: (query: BrokerHistoryQuery) => Promise.resolve(history.query({ ...query, namespace, broker })),
    retained: () => {
      const events: RetainedEvent[] = [];
      for (const event of history.retained(namespace, broker)) {
        if (events.length >= RETAINED_FOR_STATS) break;
        events.push(event);
      }
      return Promise.resolve(events);
    },
  };
}
