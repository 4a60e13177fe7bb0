/**
 * The embedded backend's delivery history, in the database beside the events (src/store/history.ts).
 *
 * Writes never add a commit of their own to the delivery path: an event's accepted entry is a row of the
 * append's transaction (so it is exactly as durable as the event), and an attempt or outcome is a job given
 * to the group committer without being awaited, so it shares the commit of the settles and appends of the
 * same event-loop turn. Retention is the archive's: rows older than the event retention are pruned by the
 * compactor (`pruneHistory`).
 *
 * Reads: an event by id goes through the (broker, ce_id, source) index; listings scan the broker's newest
 * rows, at most `SCAN_MAX` of them, as the in-memory history holds a bounded window.
 */
import type { Statement } from 'better-sqlite3';
import {
  deliveriesMatch,
  eventRecordOf,
  foldDeliveries,
  MAX_ATTEMPTS_KEPT,
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
import type { Db } from './database.js';
import type { GroupCommitter } from './group-commit.js';

/** History rows a listing reads at most (an id lookup reads the whole retention through the index). */
const SCAN_MAX = 100_000;
const SCAN_CHUNK = 500;
/** Rows of other brokers (or older records) a range read of updates may cross per wanted row. */
const RANGE_READ_SPREAD = 20;

interface HistoryRow {
  readonly id: number;
  readonly source: string;
  readonly ce_id: string;
  readonly entry: string;
}

interface UpdateRow {
  readonly event: number;
  readonly trigger: string;
  readonly change: string;
}

/** What `entry` holds: the accepted entry without the columns. */
interface StoredEntry {
  readonly type: string;
  readonly acceptedAt: string;
  readonly traceId?: string;
  readonly triggers: readonly string[];
}

export class HistoryStatements {
  readonly insertEvent: Statement<[number, string, string, number, string]>;
  readonly findEvent: Statement<[number, string, string], { id: number }>;
  readonly insertUpdate: Statement<[number, string, string]>;
  /** Drops the oldest attempt after the first few of one delivery (MAX_ATTEMPTS_KEPT, as in memory). */
  readonly trimUpdates: Statement<[number, string, number]>;
  readonly byId: Statement<[number, string], HistoryRow>;
  readonly newest: Statement<[number, number, number], HistoryRow>;
  readonly updatesOf: Statement<[number, number], UpdateRow>;
  readonly updatesOfOne: Statement<[number], UpdateRow>;
  readonly oldest: Statement<[number], { id: number; accepted_at: number }>;
  readonly pruneUpdates: Statement<[number]>;
  readonly pruneEvents: Statement<[number]>;

  constructor(db: Db) {
    this.insertEvent = db.prepare(
      'INSERT INTO history_events (broker, ce_id, source, accepted_at, entry) VALUES (?, ?, ?, ?, ?)',
    );
    this.findEvent = db.prepare(
      'SELECT id FROM history_events WHERE broker = ? AND ce_id = ? AND source = ? ORDER BY id DESC LIMIT 1',
    );
    this.insertUpdate = db.prepare('INSERT INTO history_updates (event, trigger, change) VALUES (?, ?, ?)');
    this.trimUpdates = db.prepare(
      'DELETE FROM history_updates WHERE id = (SELECT id FROM history_updates WHERE event = ? AND trigger = ? ' +
        'ORDER BY id LIMIT 1 OFFSET ?)',
    );
    this.byId = db.prepare(
      'SELECT id, source, ce_id, entry FROM history_events WHERE broker = ? AND ce_id = ? ORDER BY id DESC',
    );
    this.newest = db.prepare(
      'SELECT id, source, ce_id, entry FROM history_events WHERE broker = ? AND id < ? ORDER BY id DESC LIMIT ?',
    );
    this.updatesOf = db.prepare(
      'SELECT event, trigger, change FROM history_updates WHERE event BETWEEN ? AND ? ORDER BY id',
    );
    this.updatesOfOne = db.prepare(
      'SELECT event, trigger, change FROM history_updates WHERE event = ? ORDER BY id',
    );
    this.oldest = db.prepare('SELECT id, accepted_at FROM history_events ORDER BY id LIMIT ?');
    this.pruneUpdates = db.prepare('DELETE FROM history_updates WHERE event <= ?');
    this.pruneEvents = db.prepare('DELETE FROM history_events WHERE id <= ?');
  }
}

/** Writes an accepted entry; runs inside the append's transaction. */
export function insertAccepted(
  statements: HistoryStatements,
  broker: number,
  appendedAt: number,
  entry: AcceptedEntry,
): void {
  const stored: StoredEntry = {
    type: entry.type,
    acceptedAt: entry.acceptedAt,
    ...(entry.traceId === undefined ? {} : { traceId: entry.traceId }),
    triggers: entry.triggers,
  };
  statements.insertEvent.run(broker, entry.id, entry.source, appendedAt, JSON.stringify(stored));
}

/**
 * Deletes the history accepted before `cutoff` (and its updates), oldest first, at most `rows` events.
 * Returns how many events went.
 */
export function pruneHistory(statements: HistoryStatements, cutoff: number, rows: number): number {
  let through = 0;
  let count = 0;
  for (const row of statements.oldest.all(rows)) {
    if (row.accepted_at >= cutoff) break;
    through = row.id;
    count++;
  }
  if (count === 0) return 0;
  statements.pruneUpdates.run(through);
  statements.pruneEvents.run(through);
  return count;
}

interface Folded {
  readonly row: HistoryRow;
  readonly entry: StoredEntry;
  readonly deliveries: TriggerDelivery[];
}

export class EmbeddedHistory implements BrokerHistory {
  constructor(
    private readonly ref: BrokerRef,
    /** The broker's row id; undefined while the broker is dropped. */
    private readonly brokerId: () => number | undefined,
    private readonly statements: HistoryStatements,
    private readonly committer: GroupCommitter,
    private readonly onError: (error: unknown) => void,
  ) {}

  attempt(key: EventKey, trigger: string, attempt: AttemptInput, outcome: DeliveryOutcome | undefined): void {
    const update: DeliveryUpdate = outcome === undefined ? { attempt } : { attempt, outcome };
    this.write(key, trigger, update, attempt.attempt > MAX_ATTEMPTS_KEPT);
  }

  outcome(key: EventKey, trigger: string, outcome: DeliveryOutcome): void {
    this.write(key, trigger, { outcome }, false);
  }

  query(query: BrokerHistoryQuery): Promise<EventRecord[]> {
    const limit = query.limit ?? 100;
    const found: EventRecord[] = [];
    for (const folded of this.scan(query)) {
      if (found.length >= limit) break;
      if (!deliveriesMatch(folded.deliveries, query)) continue;
      found.push(this.recordOf(folded));
    }
    return Promise.resolve(found);
  }

  retained(): Promise<RetainedEvent[]> {
    const events: RetainedEvent[] = [];
    for (const { row, entry, deliveries } of this.scan({})) {
      if (events.length >= RETAINED_FOR_STATS) break;
      events.push({ source: row.source, id: row.ce_id, acceptedAt: entry.acceptedAt, deliveries });
    }
    return Promise.resolve(events);
  }

  private write(key: EventKey, trigger: string, update: DeliveryUpdate, trim: boolean): void {
    const broker = this.brokerId();
    if (broker === undefined) return;
    const { statements } = this;
    const change = JSON.stringify(update);
    this.committer
      .submit({
        what: 'history',
        rows: 1,
        isolated: false,
        durable: false,
        run: () => {
          const event = statements.findEvent.get(broker, key.id, key.source)?.id;
          if (event === undefined) return;
          statements.insertUpdate.run(event, trigger, change);
          if (trim) statements.trimUpdates.run(event, trigger, MAX_ATTEMPTS_KEPT / 2);
        },
      })
      .catch(this.onError);
  }

  /** The broker's current records, newest first: a re-sent event hides its older record. */
  private *scan(query: BrokerHistoryQuery): Generator<Folded> {
    const broker = this.brokerId();
    if (broker === undefined) return;
    const seen = new Set<string>();
    for (const rows of this.rowsOf(broker, query)) {
      if (rows.length === 0) return;
      const updates = this.updatesOf(rows);
      for (const row of rows) {
        const key = `${row.source}\n${row.ce_id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (query.source !== undefined && row.source !== query.source) continue;
        const entry = JSON.parse(row.entry) as StoredEntry;
        yield { row, entry, deliveries: foldDeliveries(entry.triggers, updates.get(row.id) ?? []) };
      }
    }
  }

  /** Chunks of rows, newest first: those of one id, or the broker's newest up to SCAN_MAX. */
  private *rowsOf(broker: number, query: BrokerHistoryQuery): Generator<HistoryRow[]> {
    if (query.id !== undefined) {
      yield this.statements.byId.all(broker, query.id);
      return;
    }
    let before = Number.MAX_SAFE_INTEGER;
    for (let scanned = 0; scanned < SCAN_MAX; scanned += SCAN_CHUNK) {
      const rows = this.statements.newest.all(broker, before, SCAN_CHUNK);
      yield rows;
      if (rows.length < SCAN_CHUNK) return;
      before = rows[rows.length - 1]!.id;
    }
  }

  private updatesOf(rows: readonly HistoryRow[]): Map<number, { trigger: string; update: DeliveryUpdate }[]> {
    const byEvent = new Map<number, { trigger: string; update: DeliveryUpdate }[]>();
    const ids = rows.map((r) => r.id);
    const wanted = new Set(ids);
    const low = Math.min(...ids);
    const high = Math.max(...ids);
    // One range read when the rows are close together (a busy broker's newest), else one read per row.
    const found =
      high - low <= RANGE_READ_SPREAD * ids.length
        ? this.statements.updatesOf.all(low, high)
        : ids.flatMap((id) => this.statements.updatesOfOne.all(id));
    for (const u of found) {
      if (!wanted.has(u.event)) continue;
      let list = byEvent.get(u.event);
      if (list === undefined) byEvent.set(u.event, (list = []));
      list.push({ trigger: u.trigger, update: JSON.parse(u.change) as DeliveryUpdate });
    }
    return byEvent;
  }

  private recordOf({ row, entry, deliveries }: Folded): EventRecord {
    return eventRecordOf(
      {
        namespace: this.ref.namespace,
        broker: this.ref.name,
        source: row.source,
        id: row.ce_id,
        type: entry.type,
        acceptedAt: entry.acceptedAt,
        traceId: entry.traceId,
      },
      deliveries,
    );
  }
}
