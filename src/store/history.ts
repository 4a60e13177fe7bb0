/**
 * The delivery history contract: per event, when it was accepted, which triggers matched, every attempt
 * and the outcome per trigger. It answers "why did my event not arrive?" (`cemesh describe event ID`).
 *
 * A backend that keeps a durable history (embedded, jetstream) gives each BrokerStore a `history`: the
 * accepted part is written with the event itself (`AppendItem.history`), attempts and outcomes as they
 * happen, never awaited by the delivery loop. A backend without one (memory) leaves it out and the data
 * plane keeps the history in memory. Either way the records read the same (`EventRecord`), and the pure
 * pieces here (one trigger's delivery, the query filters) are shared so that they cannot drift apart.
 */
export type DeliveryOutcome = 'pending' | 'delivered' | 'dead-lettered' | 'undeliverable';

/** `failed` stands for both final failures: dead-lettered and undeliverable. */
export type OutcomeFilter = DeliveryOutcome | 'failed';

/** One attempt as read back: `AttemptInput` with `at` as an ISO timestamp. */
export type AttemptRecord = Omit<AttemptInput, 'at'> & { readonly at: string };

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

/** What a broker's history is asked: every field narrows the answer. */
export interface BrokerHistoryQuery {
  readonly trigger?: string;
  readonly source?: string;
  readonly id?: string;
  /** Only events whose delivery (to `trigger`, or to any trigger) has this outcome. */
  readonly outcome?: OutcomeFilter;
  readonly limit?: number;
}

export interface HistoryQuery extends BrokerHistoryQuery {
  readonly namespace: string;
  readonly broker?: string;
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

/** An event within its broker: a re-sent event (same source and id) starts a new record. */
export interface EventKey {
  readonly source: string;
  readonly id: string;
}

/** What is recorded of an event when it is accepted; stored with it (`AppendItem.history`). */
export interface AcceptedEntry {
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly acceptedAt: string;
  readonly traceId?: string | undefined;
  /** The names of the triggers that matched (empty: filtered). */
  readonly triggers: readonly string[];
}

/** What the statistics read of one retained event, without building its public record. */
export interface RetainedEvent {
  readonly source: string;
  readonly id: string;
  readonly acceptedAt: string;
  readonly deliveries: readonly TriggerDelivery[];
}

/** A broker's durable delivery history. */
export interface BrokerHistory {
  /**
   * Records an attempt of `trigger`'s delivery of an event and, when it ended the delivery, its outcome.
   * Never awaited by delivery and never throws: a history that cannot be written is not a failed delivery.
   */
  attempt(key: EventKey, trigger: string, attempt: AttemptInput, outcome: DeliveryOutcome | undefined): void;
  /** Sets an outcome without an attempt (a redelivery makes it pending again; a removed sink, undeliverable). */
  outcome(key: EventKey, trigger: string, outcome: DeliveryOutcome): void;
  /** Matching records, newest first. */
  query(query: BrokerHistoryQuery): Promise<EventRecord[]>;
  /** The newest retained events (at most `RETAINED_FOR_STATS`), newest first, for the statistics. */
  retained(): Promise<RetainedEvent[]>;
}

/** Events the statistics read at most, per broker (what the in-memory history holds in all). */
export const RETAINED_FOR_STATS = 10_000;

/** Attempts kept per trigger and event: the first few and the last ones are what explain a failure. */
export const MAX_ATTEMPTS_KEPT = 20;

/** One trigger's delivery of one event: what attempts and the outcome are recorded on. */
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

function matchesOutcome(outcome: DeliveryOutcome, wanted: OutcomeFilter): boolean {
  if (wanted === 'failed') return outcome === 'dead-lettered' || outcome === 'undeliverable';
  return outcome === wanted;
}

/** Whether an event with these deliveries answers the query's trigger and outcome filters. */
export function deliveriesMatch(deliveries: readonly TriggerDelivery[], query: BrokerHistoryQuery): boolean {
  const { trigger, outcome } = query;
  if (trigger !== undefined) {
    const delivery = deliveries.find((d) => d.trigger === trigger);
    return delivery !== undefined && (outcome === undefined || matchesOutcome(delivery.outcome, outcome));
  }
  return outcome === undefined || deliveries.some((d) => matchesOutcome(d.outcome, outcome));
}

/** The public record of an event. */
export function eventRecordOf(
  event: {
    readonly namespace: string;
    readonly broker: string;
    readonly source: string;
    readonly id: string;
    readonly type: string;
    readonly acceptedAt: string;
    readonly traceId?: string | undefined;
  },
  deliveries: readonly TriggerDelivery[],
): EventRecord {
  const triggers: Record<string, TriggerDeliveryRecord> = {};
  for (const delivery of deliveries) triggers[delivery.trigger] = delivery.toRecord();
  return {
    namespace: event.namespace,
    broker: event.broker,
    source: event.source,
    id: event.id,
    type: event.type,
    acceptedAt: event.acceptedAt,
    ...(event.traceId === undefined ? {} : { traceId: event.traceId }),
    filtered: deliveries.length === 0,
    triggers,
  };
}

/** A change to one trigger's delivery, as durable histories store it: an attempt, or an outcome alone. */
export interface DeliveryUpdate {
  readonly attempt?: AttemptInput;
  readonly outcome?: DeliveryOutcome;
}

/**
 * Rebuilds one event's deliveries from its accepted entry and its updates in the order they were made.
 * Updates for a trigger the event was not routed to are left out, as the in-memory history does.
 */
export function foldDeliveries(
  triggers: readonly string[],
  updates: Iterable<{ readonly trigger: string; readonly update: DeliveryUpdate }>,
): TriggerDelivery[] {
  const deliveries = triggers.map((t) => new TriggerDelivery(t));
  for (const { trigger, update } of updates) {
    const delivery = deliveries.find((d) => d.trigger === trigger);
    if (delivery === undefined) continue;
    if (update.attempt !== undefined) delivery.attempt(update.attempt);
    if (update.outcome !== undefined) delivery.outcome = update.outcome;
  }
  return deliveries;
}
