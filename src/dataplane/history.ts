/**
 * Delivery history: per event, when it was accepted, which triggers matched, every attempt and the final
 * outcome per trigger. It answers "why did my event not arrive?". Bounded: the oldest events are forgotten
 * once `maxEvents` are held.
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

/** Attempts kept per trigger and event: the first few and the last ones are what explain a failure. */
const MAX_ATTEMPTS_KEPT = 20;

export class DeliveryHistory {
  private readonly records = new Map<string, EventRecord>();

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
    const triggers: Record<string, TriggerDeliveryRecord> = {};
    for (const trigger of input.triggers) triggers[trigger] = { trigger, outcome: 'pending', attempts: [] };
    this.records.delete(key);
    this.records.set(key, {
      namespace: input.namespace,
      broker: input.broker,
      source: input.source,
      id: input.id,
      type: input.type,
      acceptedAt: input.acceptedAt,
      filtered: input.triggers.length === 0,
      triggers,
    });
    if (this.records.size > this.maxEvents) {
      const oldest = this.records.keys().next();
      if (!oldest.done) this.records.delete(oldest.value);
    }
  }

  attempt(event: EventKey, trigger: string, attempt: AttemptRecord): void {
    const record = this.triggerRecord(event, trigger);
    if (!record) return;
    if (record.attempts.length >= MAX_ATTEMPTS_KEPT) record.attempts.splice(MAX_ATTEMPTS_KEPT / 2, 1);
    record.attempts.push(attempt);
  }

  outcome(event: EventKey, trigger: string, outcome: DeliveryOutcome): void {
    const record = this.triggerRecord(event, trigger);
    if (record) record.outcome = outcome;
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
      if (query.trigger !== undefined && !(query.trigger in record.triggers)) continue;
      found.push(record);
    }
    return found;
  }

  private triggerRecord(event: EventKey, trigger: string): TriggerDeliveryRecord | undefined {
    return this.records.get(keyOf(event.namespace, event.broker, event.source, event.id))?.triggers[trigger];
  }
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
