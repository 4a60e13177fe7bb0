/**
 * Every SQL statement of the event side of the embedded backend, prepared once per open database, and the
 * encoding of a CloudEvent into a row (attributes as JSON, which keeps their canonical types; data as a BLOB).
 */
import type { Statement } from 'better-sqlite3';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { Db } from './database.js';

export interface EventRow {
  readonly id: number;
  readonly appended_at: number;
  readonly attributes: string;
  readonly data: Buffer | null;
}

export interface DeliveryRow {
  readonly id: number;
  readonly broker: number;
  readonly queue: string;
  readonly event: number;
  readonly attempt: number;
  readonly due: number;
}

export interface BrokerRow {
  readonly id: number;
  readonly namespace: string;
  readonly name: string;
}

export interface EncodedEvent {
  readonly attributes: string;
  readonly data: Buffer | null;
}

export function encodeEvent(event: CloudEvent): EncodedEvent {
  const data = event.data;
  return {
    attributes: JSON.stringify(event.attributes),
    data: data === undefined ? null : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  };
}

export function decodeEvent(row: Pick<EventRow, 'attributes' | 'data'>): CloudEvent {
  const attributes = JSON.parse(row.attributes) as CloudEvent['attributes'];
  const data = row.data;
  return data === null
    ? { attributes }
    : { attributes, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * Event ids reserved in `sqlite_sequence` at a time. AUTOINCREMENT rewrites the table's row in every
 * transaction that raises the largest id, a page of the WAL in each commit of an event that arrives alone;
 * ids at or below the row's value leave it alone, so the row is raised once a block (bench/event-bytes.ts,
 * BENCHMARKS.md).
 */
export const EVENT_ID_BLOCK = 1024;

export class Statements {
  /** (id, broker, appended_at, attributes, data): the id from `newEventId`. */
  readonly insertEvent: Statement<[number, number, number, string, Buffer | null]>;
  /** (event, id, broker, queue): a new delivery, due now. */
  readonly insertDelivery: Statement<[number, number, number, string]>;
  /** Inserts a delivery with its retry state (attempt, due), as a broker migration brings it. */
  readonly insertDeliveryState: Statement<[number, number, number, string, number, number]>;
  /** Inserts a delivery only if its event still exists (replay races compaction): (id, broker, queue, event). */
  readonly insertDeliveryIfEvent: Statement<[number, number, string, number]>;
  /** (event, id): a delivery is found by its key, its event first. */
  readonly deleteDelivery: Statement<[number, number]>;
  /** (attempt, due, event, id). */
  readonly nakDelivery: Statement<[number, number, number, number]>;
  readonly dropQueue: Statement<[number, string]>;
  readonly dropBrokerDeliveries: Statement<[number]>;
  readonly getEvent: Statement<[number], EventRow>;
  readonly replayScan: Statement<[number, number, number, number], EventRow>;
  readonly findBroker: Statement<[string, string], BrokerRow>;
  readonly insertBroker: Statement<[string, string]>;
  readonly deleteBroker: Statement<[number]>;
  readonly allBrokers: Statement<[], BrokerRow>;
  readonly allDeliveries: Statement<[], DeliveryRow>;
  readonly deleteOrphanDeliveries: Statement<[]>;
  /** The last delivery id handed out: the deliveries table has no rowid to number new rows. */
  private lastDeliveryId: number;
  private lastEventId: number;
  /** The largest event id `sqlite_sequence` holds for events: every id up to it may be handed out. */
  private reservedEventId: number;
  private readonly reserveEventIds: Statement<[number]>;
  private readonly firstEventIdReservation: Statement<[number]>;

  constructor(db: Db) {
    this.insertEvent = db.prepare(
      'INSERT INTO events (id, broker, appended_at, attributes, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertDelivery = db.prepare(
      'INSERT INTO deliveries (event, id, broker, queue, attempt, due) VALUES (?, ?, ?, ?, 0, 0)',
    );
    this.insertDeliveryState = db.prepare(
      'INSERT INTO deliveries (event, id, broker, queue, attempt, due) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertDeliveryIfEvent = db.prepare(
      'INSERT INTO deliveries (id, broker, queue, event, attempt, due) SELECT ?, ?, ?, id, 0, 0 FROM events WHERE id = ?',
    );
    this.deleteDelivery = db.prepare('DELETE FROM deliveries WHERE event = ? AND id = ?');
    this.nakDelivery = db.prepare('UPDATE deliveries SET attempt = ?, due = ? WHERE event = ? AND id = ?');
    this.dropQueue = db.prepare('DELETE FROM deliveries WHERE broker = ? AND queue = ?');
    this.dropBrokerDeliveries = db.prepare('DELETE FROM deliveries WHERE broker = ?');
    this.getEvent = db.prepare('SELECT id, appended_at, attributes, data FROM events WHERE id = ?');
    this.replayScan = db.prepare(
      'SELECT id, appended_at, attributes, data FROM events ' +
        'WHERE broker = ? AND id > ? AND appended_at >= ? ORDER BY id LIMIT ?',
    );
    this.findBroker = db.prepare('SELECT id, namespace, name FROM brokers WHERE namespace = ? AND name = ?');
    this.insertBroker = db.prepare('INSERT INTO brokers (namespace, name) VALUES (?, ?)');
    this.deleteBroker = db.prepare('DELETE FROM brokers WHERE id = ?');
    this.allBrokers = db.prepare('SELECT id, namespace, name FROM brokers');
    this.allDeliveries = db.prepare(
      'SELECT id, broker, queue, event, attempt, due FROM deliveries ORDER BY event, id',
    );
    this.deleteOrphanDeliveries = db.prepare(
      'DELETE FROM deliveries WHERE broker NOT IN (SELECT id FROM brokers) ' +
        'OR event NOT IN (SELECT id FROM events)',
    );
    this.lastDeliveryId = db.prepare<[], number | null>('SELECT max(id) FROM deliveries').pluck().get() ?? 0;
    this.reserveEventIds = db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'");
    this.firstEventIdReservation = db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)");
    const sequence =
      db
        .prepare<[], number | null>("SELECT max(seq) FROM sqlite_sequence WHERE name = 'events'")
        .pluck()
        .get() ?? 0;
    const stored = db.prepare<[], number | null>('SELECT max(id) FROM events').pluck().get() ?? 0;
    this.lastEventId = Math.max(sequence, stored);
    this.reservedEventId = this.lastEventId;
  }

  /**
   * An id for a new event, above every id ever handed out, as the events table's AUTOINCREMENT promises (a seq
   * is never reused, even after the newest events went). Runs inside the transaction that inserts the event,
   * so that a reservation is stored with it. The ids of a rolled-back write are skipped (nothing stored them, so
   * a restart may hand them out), and a restart skips the rest of its reserved block: seqs are compared, never
   * counted, so the gaps mean nothing. Should a reservation roll back while later ids are stored, AUTOINCREMENT
   * raises the row itself for each of them, as it always did.
   */
  newEventId(): number {
    const id = ++this.lastEventId;
    if (id > this.reservedEventId) {
      this.reservedEventId = id + EVENT_ID_BLOCK - 1;
      if (this.reserveEventIds.run(this.reservedEventId).changes === 0)
        this.firstEventIdReservation.run(this.reservedEventId);
    }
    return id;
  }

  /**
   * An id for a new delivery, above every one stored. One that a rolled-back transaction took is skipped;
   * after a restart an id of a deleted row may come again, which is safe: the key is (event, id), and
   * nothing outside the process holds a delivery id.
   */
  newDeliveryId(): number {
    return ++this.lastDeliveryId;
  }
}
