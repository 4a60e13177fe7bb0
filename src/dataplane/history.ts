/**
 * Delivery history: per event, when it was accepted, which triggers matched, every attempt and the final
 * outcome per trigger. It answers "why did my event not arrive?". Bounded: the oldest events are forgotten
 * once `maxEvents` are held.
 *
 * Every accepted event passes through here, and the latest `maxEvents` stay alive long enough to reach
 * V8's old generation, so records are kept compact (times as numbers, a trigger's attempts created on the
 * first attempt) and turned into the public shape only when queried (see docs/performance decisions).
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
  /** True when no trigger matched: the event was stored but goes nowhere. */
  readonly filtered: boolean;
  readonly triggers: Record<string, TriggerDeliveryRecord>;
}

export interface HistoryQuery {
  readonly namespace: string;
  readonly broker?: string;
  readonly trigger?: string;
  readonly source?: string;
  readonly id?: string;
  readonly limit?: number;
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

/** Attempts kept per trigger and event: the first few and the last ones are what explain a failure. */
const MAX_ATTEMPTS_KEPT = 20;

/** One trigger's delivery of one event: what the delivery loop records attempts and the outcome on. */
export class TriggerDelivery {
  outcome: DeliveryOutcome = 'pending';
  private attempts: AttemptInput[] | undefined;

  constructor(readonly trigger: string) {}

  attempt(attempt: AttemptInput): void {
    const attempts = (this.attempts ??= []);
    if (attempts.length >= MAX_ATTEMPTS_KEPT) attempts.splice(MAX_ATTEMPTS_KEPT / 2, 1);
    attempts.push(attempt);
  }

  toRecord(): TriggerDeliveryRecord {
    return {
      trigger: this.trigger,
      outcome: this.outcome,
      attempts: (this.attempts ?? []).map((a) => ({
        ...a,
        at: new Date(a.at).toISOString(),
        durationMs: Math.round(a.durationMs * 1000) / 1000,
      })),
    };
  }
}

interface StoredEvent {
  readonly namespace: string;
  readonly broker: string;
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly acceptedAt: string;
  readonly triggers: readonly TriggerDelivery[];
}

export class DeliveryHistory {
  private readonly records = new Map<string, StoredEvent>();

  constructor(private readonly maxEvents = 10_000) {}

  accepted(input: {
    namespace: string;
    broker: string;
    source: string;
    id: string;
    type: string;
    acceptedAt: string;
    triggers: readonly string[];
  }): void {
    const key = keyOf(input.namespace, input.broker, input.source, input.id);
    // A re-sent event (same source and id) starts a new record at the newest end.
    this.records.delete(key);
    this.records.set(key, {
      namespace: input.namespace,
      broker: input.broker,
      source: input.source,
      id: input.id,
      type: input.type,
      acceptedAt: input.acceptedAt,
      triggers: input.triggers.map((trigger) => new TriggerDelivery(trigger)),
    });
    if (this.records.size > this.maxEvents) {
      const oldest = this.records.keys().next();
      if (!oldest.done) this.records.delete(oldest.value);
    }
  }

  /** The record of `trigger`'s delivery of an event; undefined when the event was forgotten or not routed there. */
  delivery(event: EventKey, trigger: string): TriggerDelivery | undefined {
    const record = this.records.get(keyOf(event.namespace, event.broker, event.source, event.id));
    return record?.triggers.find((t) => t.trigger === trigger);
  }

  /** Matching records, newest first. */
  query(query: HistoryQuery): EventRecord[] {
    const limit = query.limit ?? 100;
    const found: EventRecord[] = [];
    const all = [...this.records.values()];
    for (let i = all.length - 1; i >= 0 && found.length < limit; i--) {
      const record = all[i]!;
      if (record.namespace !== query.namespace) continue;
      if (query.broker !== undefined && record.broker !== query.broker) continue;
      if (query.source !== undefined && record.source !== query.source) continue;
      if (query.id !== undefined && record.id !== query.id) continue;
      if (query.trigger !== undefined && !record.triggers.some((t) => t.trigger === query.trigger)) continue;
      found.push(toEventRecord(record));
    }
    return found;
  }
}

function toEventRecord(stored: StoredEvent): EventRecord {
  const triggers: Record<string, TriggerDeliveryRecord> = {};
  for (const delivery of stored.triggers) triggers[delivery.trigger] = delivery.toRecord();
  return {
    namespace: stored.namespace,
    broker: stored.broker,
    source: stored.source,
    id: stored.id,
    type: stored.type,
    acceptedAt: stored.acceptedAt,
    filtered: stored.triggers.length === 0,
    triggers,
  };
}

export interface EventKey {
  readonly namespace: string;
  readonly broker: string;
  readonly source: string;
  readonly id: string;
}

function keyOf(namespace: string, broker: string, source: string, id: string): string {
  return `${namespace}\u0000${broker}\u0000${source}\u0000${id}`;
}
