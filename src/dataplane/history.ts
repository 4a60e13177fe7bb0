/**
 * Delivery history: per event, when it was accepted, which triggers matched, every attempt and the final
 * outcome per trigger. It answers "why did my event not arrive?". Bounded: the oldest events are forgotten
 * once `maxEvents` are held.
 *
 * Every accepted event passes through here and the latest `maxEvents` stay alive long enough to reach V8's
 * old generation, so what each holds is kept to few objects: records sit in a ring (no per-event key
 * string), are found through a Map keyed by the event's own `id` string, keep one trigger's delivery without
 * an array, and a delivery's first attempt without an array. The public shape is built only when queried.
 */
export type DeliveryOutcome = 'pending' | 'delivered' | 'dead-lettered' | 'undeliverable';

export interface AttemptRecord {
  readonly at: string;
  readonly attempt: number;
  readonly target: 'subscriber' | 'dead-letter';
  readonly uri: string;
  readonly status?: number;
  readonly error?: string;
  readonly durationMs: number;
}

export interface TriggerDeliveryRecord {
  readonly trigger: string;
  outcome: DeliveryOutcome;
  readonly attempts: AttemptRecord[];
}

export interface EventRecord {
  readonly namespace: string;
  readonly broker: string;
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly acceptedAt: string;
  /** The trace the event belongs to (its `traceparent`), when it names one. */
  readonly traceId?: string;
  /** True when no trigger matched: the event was stored but goes nowhere. */
  readonly filtered: boolean;
  readonly triggers: Record<string, TriggerDeliveryRecord>;
}

/** `failed` stands for both final failures: dead-lettered and undeliverable. */
export type OutcomeFilter = DeliveryOutcome | 'failed';

export interface HistoryQuery {
  readonly namespace: string;
  readonly broker?: string;
  readonly trigger?: string;
  readonly source?: string;
  readonly id?: string;
  /** Only events whose delivery (to `trigger`, or to any trigger) has this outcome. */
  readonly outcome?: OutcomeFilter;
  readonly limit?: number;
}

/** What the statistics read of one retained event, without building its public record. */
export interface RetainedEvent {
  readonly source: string;
  readonly id: string;
  readonly acceptedAt: string;
  readonly deliveries: readonly TriggerDelivery[];
}

/** One attempt as recorded: `at` in epoch ms, `durationMs` as measured. */
export interface AttemptInput {
  readonly at: number;
  readonly attempt: number;
  readonly target: 'subscriber' | 'dead-letter';
  readonly uri: string;
  readonly status?: number;
  readonly error?: string;
  readonly durationMs: number;
}

export interface EventKey {
  readonly namespace: string;
  readonly broker: string;
  readonly source: string;
  readonly id: string;
}

/** Attempts kept per trigger and event: the first few and the last ones are what explain a failure. */
const MAX_ATTEMPTS_KEPT = 20;

/** One trigger's delivery of one event: what the delivery loop records attempts and the outcome on. */
export class TriggerDelivery {
  outcome: DeliveryOutcome = 'pending';
  private first: AttemptInput | undefined;
  /** Attempts after the first, created on the second. */
  private later: AttemptInput[] | undefined;

  constructor(readonly trigger: string) {}

  attempt(attempt: AttemptInput): void {
    if (this.first === undefined) {
      this.first = attempt;
      return;
    }
    const later = (this.later ??= []);
    // Keep the first attempts and the latest ones: drop from the middle.
    if (later.length >= MAX_ATTEMPTS_KEPT - 1) later.splice(MAX_ATTEMPTS_KEPT / 2 - 1, 1);
    later.push(attempt);
  }

  /** The latest attempt, if any. */
  last(): AttemptInput | undefined {
    return this.later?.[this.later.length - 1] ?? this.first;
  }

  /** The latest attempt that did not get a 2xx, if any (kept attempts only). */
  lastFailure(): AttemptInput | undefined {
    const failed = (a: AttemptInput): boolean => a.status === undefined || a.status < 200 || a.status >= 300;
    for (let i = (this.later?.length ?? 0) - 1; i >= 0; i--) {
      const attempt = this.later?.[i];
      if (attempt !== undefined && failed(attempt)) return attempt;
    }
    return this.first !== undefined && failed(this.first) ? this.first : undefined;
  }

  toRecord(): TriggerDeliveryRecord {
    const all = this.first === undefined ? [] : [this.first, ...(this.later ?? [])];
    return {
      trigger: this.trigger,
      outcome: this.outcome,
      attempts: all.map((a) => ({
        ...a,
        at: new Date(a.at).toISOString(),
        durationMs: Math.round(a.durationMs * 1000) / 1000,
      })),
    };
  }
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
      if (query.trigger !== undefined && record.delivery(query.trigger) === undefined) continue;
      if (query.outcome !== undefined && !hasOutcome(record, query.outcome, query.trigger)) continue;
      found.push(toEventRecord(record));
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

function matchesOutcome(outcome: DeliveryOutcome, wanted: OutcomeFilter): boolean {
  if (wanted === 'failed') return outcome === 'dead-lettered' || outcome === 'undeliverable';
  return outcome === wanted;
}

function hasOutcome(record: StoredEvent, wanted: OutcomeFilter, trigger: string | undefined): boolean {
  if (trigger !== undefined) {
    const delivery = record.delivery(trigger);
    return delivery !== undefined && matchesOutcome(delivery.outcome, wanted);
  }
  return record.all().some((d) => matchesOutcome(d.outcome, wanted));
}

function toEventRecord(stored: StoredEvent): EventRecord {
  const triggers: Record<string, TriggerDeliveryRecord> = {};
  const all = stored.all();
  for (const delivery of all) triggers[delivery.trigger] = delivery.toRecord();
  return {
    namespace: stored.namespace,
    broker: stored.broker,
    source: stored.source,
    id: stored.id,
    type: stored.type,
    acceptedAt: stored.acceptedAt,
    ...(stored.traceId === undefined ? {} : { traceId: stored.traceId }),
    filtered: all.length === 0,
    triggers,
  };
}
