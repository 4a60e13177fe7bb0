/**
 * The jetstream backend's delivery history (src/store/history.ts): one stream per namespace,
 * `<prefix>_history_<namespace>`, bounded by size and by the archive's retention (discard old), that
 * every replica on the same NATS writes and reads.
 *
 * Each change is one message on `<prefix>.history.<namespace>.<broker>.<id>.<source>` (each a name-safe
 * token): the accepted entry, once the event's append was acknowledged, then one per attempt or outcome.
 * They are published without waiting for the stream's acknowledgement (core NATS publish), so the delivery
 * path pays one send and no round trip; a change published while NATS is away is lost (the history is an
 * account of deliveries, never what delivery depends on).
 *
 * Reads fold the messages of one event in stream order (a new accepted entry starts a new record, as a
 * re-sent event does in memory): an event by id through a subject filter, a listing from the stream's
 * newest messages backwards, at most `SCAN_MAX` of them.
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import {
  deliveriesMatch,
  eventRecordOf,
  foldDeliveries,
  RETAINED_FOR_STATS,
  type AcceptedEntry,
  type AttemptInput,
  type BrokerHistory,
  type BrokerHistoryQuery,
  type DeliveryOutcome,
  type DeliveryUpdate,
  type EventKey,
  type EventRecord,
  type RetainedEvent,
  type TriggerDelivery,
} from '../../store/history.js';
import type { BrokerRef } from '../../store/contracts.js';
import type { SharedConnection } from './connection.js';
import { API_STREAM_NAME_IN_USE, hasApiCode } from './errors.js';
import { createdByAnother } from './leader.js';
import { safeToken } from './names.js';

/** Default size bound of one namespace's history stream. */
export const DEFAULT_HISTORY_MAX_BYTES = 64 * 1024 * 1024;
/** Messages a listing reads at most; the window grows from SCAN_FIRST until enough records are found. */
const SCAN_MAX = 100_000;
const SCAN_FIRST = 2_000;
const FETCH_BATCH = 1_000;
const FETCH_EXPIRES_MS = 1_000;
const EPHEMERAL_INACTIVE_MS = 30_000;
const TOKEN_CACHE_SIZE = 1_000;
/**
 * Id tokens kept from an event's accepted entry for its attempts (a SHA-256 each otherwise); more than the
 * deliveries in flight at once, so most attempts find theirs.
 */
const ID_TOKEN_CACHE_SIZE = 4_096;

type Message =
  ({ readonly k: 'a' } & AcceptedEntry) | { readonly k: 'u'; readonly t: string; readonly u: DeliveryUpdate };

export function historyStream(prefix: string, namespace: string): string {
  return `${prefix}_history_${safeToken(namespace)}`;
}

/** Creates (or brings up to date) the history stream of a namespace. */
export async function ensureHistoryStream(
  conn: SharedConnection,
  namespace: string,
  maxBytes: number,
): Promise<void> {
  const { options, jsm } = conn;
  const config: Partial<StreamConfig> & { name: string } = {
    name: historyStream(options.prefix, namespace),
    subjects: [`${options.prefix}.history.${safeToken(namespace)}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: options.replicas,
    // The archive's retention (0: none), and a size bound: the oldest history goes first.
    max_age: nanos(options.maxAgeMs),
    max_bytes: maxBytes,
    discard: DiscardPolicy.Old,
  };
  try {
    await jsm.streams.add(config);
  } catch (error) {
    if (hasApiCode(error, API_STREAM_NAME_IN_USE)) await jsm.streams.update(config.name, config);
    else if (!(await createdByAnother(error, () => jsm.streams.info(config.name)))) throw error;
  }
}

interface Folded {
  readonly entry: AcceptedEntry;
  readonly deliveries: TriggerDelivery[];
  /** Stream sequence of the accepted entry: newest first is highest first. */
  readonly seq: number;
}

export class JetStreamHistory implements BrokerHistory {
  private readonly stream: string;
  private readonly base: string;
  private readonly sourceTokens = new Map<string, string>();
  private idTokens = new Map<string, string>();
  private previousIdTokens = new Map<string, string>();

  constructor(
    private readonly conn: SharedConnection,
    private readonly ref: BrokerRef,
    private readonly onError: (error: unknown) => void,
  ) {
    const { prefix } = conn.options;
    this.stream = historyStream(prefix, ref.namespace);
    this.base = `${prefix}.history.${safeToken(ref.namespace)}.${safeToken(ref.name)}`;
  }

  /** Called once the events of `entries` are stored. */
  accepted(entries: readonly AcceptedEntry[]): void {
    for (const entry of entries) this.publish(entry, { k: 'a', ...entry });
  }

  attempt(key: EventKey, trigger: string, attempt: AttemptInput, outcome: DeliveryOutcome | undefined): void {
    this.publish(key, { k: 'u', t: trigger, u: outcome === undefined ? { attempt } : { attempt, outcome } });
  }

  outcome(key: EventKey, trigger: string, outcome: DeliveryOutcome): void {
    this.publish(key, { k: 'u', t: trigger, u: { outcome } });
  }

  async query(query: BrokerHistoryQuery): Promise<EventRecord[]> {
    const limit = query.limit ?? 100;
    const found = await this.read(query, limit);
    return found.map(({ entry, deliveries }) =>
      eventRecordOf({ namespace: this.ref.namespace, broker: this.ref.name, ...entry }, deliveries),
    );
  }

  async retained(): Promise<RetainedEvent[]> {
    const found = await this.read({}, RETAINED_FOR_STATS);
    return found.map(({ entry, deliveries }) => ({
      source: entry.source,
      id: entry.id,
      acceptedAt: entry.acceptedAt,
      deliveries,
    }));
  }

  private publish(key: EventKey, message: Message): void {
    if (!this.conn.isConnected) return;
    try {
      this.conn.outbox.send(this.subject(key.id, key.source), JSON.stringify(message));
    } catch (error) {
      this.onError(error);
    }
  }

  private subject(id: string | undefined, source: string | undefined): string {
    const idToken = id === undefined ? '*' : this.idToken(id);
    return `${this.base}.${idToken}.${source === undefined ? '*' : this.sourceToken(source)}`;
  }

  /** Two generations: the older is dropped when the newer fills, so recent ids stay whatever the load. */
  private idToken(id: string): string {
    let token = this.idTokens.get(id) ?? this.previousIdTokens.get(id);
    if (token === undefined) {
      if (this.idTokens.size >= ID_TOKEN_CACHE_SIZE) {
        this.previousIdTokens = this.idTokens;
        this.idTokens = new Map();
      }
      this.idTokens.set(id, (token = safeToken(id)));
    }
    return token;
  }

  private sourceToken(source: string): string {
    let token = this.sourceTokens.get(source);
    if (token === undefined) {
      if (this.sourceTokens.size >= TOKEN_CACHE_SIZE) this.sourceTokens.clear();
      this.sourceTokens.set(source, (token = safeToken(source)));
    }
    return token;
  }

  /** The matching records, newest first, at most `limit`. */
  private async read(query: BrokerHistoryQuery, limit: number): Promise<Folded[]> {
    const filter = this.subject(query.id, query.source);
    const info = await this.conn.jsm.streams.info(this.stream).catch(() => undefined);
    if (info === undefined || info.state.messages === 0) return [];
    const { first_seq: first, last_seq: last } = info.state;
    // An event by id: all of its messages. A listing: the newest messages, more until enough are found.
    let window = query.id === undefined ? SCAN_FIRST : SCAN_MAX;
    for (;;) {
      const start = Math.max(first, last - window + 1);
      const folded = fold(await this.messages(filter, start, last)).filter((f) =>
        deliveriesMatch(f.deliveries, query),
      );
      if (folded.length >= limit || start === first || window >= SCAN_MAX) return folded.slice(0, limit);
      window = Math.min(SCAN_MAX, window * 4);
    }
  }

  /** Every message on `filter` from sequence `start` through `last`, through a short-lived consumer. */
  private async messages(
    filter: string,
    start: number,
    last: number,
  ): Promise<{ seq: number; subject: string; message: Message }[]> {
    const { jsm, js } = this.conn;
    const created = await jsm.consumers.add(this.stream, {
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
      filter_subject: filter,
      replay_policy: ReplayPolicy.Instant,
      inactive_threshold: nanos(EPHEMERAL_INACTIVE_MS),
      mem_storage: true,
    });
    const out: { seq: number; subject: string; message: Message }[] = [];
    try {
      if (created.num_pending === 0) return out;
      const consumer = await js.consumers.get(this.stream, created.name);
      for (;;) {
        let received = 0;
        let done = false;
        const batch = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS });
        for await (const m of batch) {
          received++;
          if (m.seq > last) {
            done = true;
            break;
          }
          out.push({ seq: m.seq, subject: m.subject, message: m.json<Message>() });
          if (m.seq >= last || m.info.pending === 0) {
            done = true;
            break;
          }
        }
        if (done || received === 0) return out;
      }
    } finally {
      await jsm.consumers.delete(this.stream, created.name).catch(() => undefined);
    }
  }
}

/** Folds messages (in stream order) into the current record of each event, newest first. */
function fold(messages: readonly { seq: number; subject: string; message: Message }[]): Folded[] {
  const current = new Map<
    string,
    { entry: AcceptedEntry; seq: number; updates: { trigger: string; update: DeliveryUpdate }[] }
  >();
  for (const { seq, subject, message } of messages) {
    if (message.k === 'a') {
      const { k: _k, ...entry } = message;
      current.set(subject, { entry, seq, updates: [] });
    } else {
      current.get(subject)?.updates.push({ trigger: message.t, update: message.u });
    }
  }
  return [...current.values()]
    .sort((a, b) => b.seq - a.seq)
    .map(({ entry, seq, updates }) => ({ entry, seq, deliveries: foldDeliveries(entry.triggers, updates) }));
}
