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

export class Statements {
  readonly insertEvent: Statement<[number, number, string, Buffer | null]>;
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

  constructor(db: Db) {
    this.insertEvent = db.prepare(
      'INSERT INTO events (broker, appended_at, attributes, data) VALUES (?, ?, ?, ?)',
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
