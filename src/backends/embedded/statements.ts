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
  readonly insertDelivery: Statement<[number, string, number]>;
  /** Inserts a delivery with its retry state (attempt, due), as a broker migration brings it. */
  readonly insertDeliveryState: Statement<[number, string, number, number, number]>;
  /** Inserts a delivery only if its event still exists (replay races compaction). */
  readonly insertDeliveryIfEvent: Statement<[number, string, number]>;
  readonly deleteDelivery: Statement<[number]>;
  readonly nakDelivery: Statement<[number, number, number]>;
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

  constructor(db: Db) {
    this.insertEvent = db.prepare(
      'INSERT INTO events (broker, appended_at, attributes, data) VALUES (?, ?, ?, ?)',
    );
    this.insertDelivery = db.prepare(
      'INSERT INTO deliveries (broker, queue, event, attempt, due) VALUES (?, ?, ?, 0, 0)',
    );
    this.insertDeliveryState = db.prepare(
      'INSERT INTO deliveries (broker, queue, event, attempt, due) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertDeliveryIfEvent = db.prepare(
      'INSERT INTO deliveries (broker, queue, event, attempt, due) SELECT ?, ?, id, 0, 0 FROM events WHERE id = ?',
    );
    this.deleteDelivery = db.prepare('DELETE FROM deliveries WHERE id = ?');
    this.nakDelivery = db.prepare('UPDATE deliveries SET attempt = ?, due = ? WHERE id = ?');
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
  }
}
