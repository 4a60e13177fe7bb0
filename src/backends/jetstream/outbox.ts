/**
 * What the jetstream backend sends on the delivery path, through one place per connection: JetStream
 * publishes (appends) awaiting their acknowledgement, and one-way messages (acks of deliveries, history).
 *
 * Two costs of the NATS client dominated a profile of the backend under load (BENCHMARKS.md, "JetStream
 * throughput"): the client writes to the socket once per microtask burst, so every ingress request and
 * every settled delivery was a write of its own (a syscall plus the loopback's work), and each
 * `js.publish` is a request that builds two errors with stack traces and a timer up front. Here every
 * message queued during one turn of the event loop is handed to the client together (one write), and a
 * publish waits for its acknowledgement on one shared reply subscription, with one sweep for timeouts.
 *
 * The messages of a flush go to the connection as one protocol frame written here (wire.ts), through the
 * client's own queue of outgoing bytes, so they keep their order with what the client sends itself. A client
 * version without that queue gets each message through its `publish` instead (a test says which is used).
 *
 * Publishes in flight (sent, not acknowledged) are bounded by `maxInFlight`: beyond it a publish waits, in
 * order, for a slot, and fails as unavailable if none frees within its timeout. The order of the messages
 * on the connection is the order of the calls, so an append's copies keep their order in the stream.
 */
import {
  createInbox,
  headers,
  type MsgHdrs,
  type NatsConnection,
  type PublishOptions,
  type Subscription,
} from '@nats-io/transport-node';
import { JetStreamApiError, type ApiError } from '@nats-io/jetstream';
import { MeshError } from '../../core/errors.js';
import { toMeshError } from './errors.js';
import { FrameWriter } from './wire.js';

const decoder = new TextDecoder();

/** Publishes awaiting their acknowledgement at once, per connection, unless told otherwise. */
export const DEFAULT_MAX_IN_FLIGHT = 4_096;

export interface OutboxOptions {
  /** How long a publish may take, waiting for a slot included, before it fails as unavailable. */
  readonly timeoutMs: number;
  readonly maxInFlight?: number;
}

/** What JetStream answered a stored publish. */
export interface StoredAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

/** The server's max_payload until it said otherwise (its default). */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

interface Outgoing {
  readonly subject: string;
  readonly payload: Uint8Array | string;
  /** A publish's id (its reply subject's last token); undefined for a one-way message. */
  readonly id?: number;
  readonly reply?: string;
  readonly headers?: Headers;
}

/** Headers as the client takes them, and as they go on the wire. */
interface Headers {
  readonly value: MsgHdrs;
  readonly encoded: Uint8Array;
}

/**
 * The client's queue of outgoing protocol bytes (its connection's `protocol`, not in its typings): bytes
 * given to it are sent in order with the client's own, and held while it reconnects, as a publish's are.
 */
interface ProtocolQueue {
  sendCommand(bytes: Uint8Array): void;
  readonly noMorePublishing: boolean;
}

function protocolQueueOf(nc: NatsConnection): ProtocolQueue | undefined {
  const protocol = (nc as { protocol?: Partial<ProtocolQueue> }).protocol;
  return typeof protocol?.sendCommand === 'function' && typeof protocol.noMorePublishing === 'boolean'
    ? (protocol as ProtocolQueue)
    : undefined;
}

interface Publish {
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly headers: Headers;
  readonly deadline: number;
  readonly resolve: (ack: StoredAck) => void;
  readonly reject: (error: MeshError) => void;
}

export class Outbox {
  private readonly maxInFlight: number;
  private readonly inbox = createInbox();
  private readonly replies: Subscription;
  /** Sent, awaiting acknowledgement; insertion order is deadline order (one timeout for all). */
  private readonly inFlight = new Map<number, Publish>();
  /** Waiting for a slot, oldest first. */
  private readonly waiting: Publish[] = [];
  private queued: Outgoing[] = [];
  private flushScheduled = false;
  private sweeper: NodeJS.Timeout | undefined;
  private ids = 0;
  private readonly expectHeaders = new Map<string, Headers>();
  private readonly protocol: ProtocolQueue | undefined;
  private readonly frame = new FrameWriter();
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: OutboxOptions,
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.protocol = protocolQueueOf(nc);
    this.replies = nc.subscribe(`${this.inbox}.*`, {
      callback: (error, msg) => {
        if (error !== null) return;
        const id = Number(msg.subject.slice(this.inbox.length + 1));
        this.settle(id, () => readAck(msg.headers?.code ?? 0, msg.headers?.description ?? '', msg.data));
      },
    });
  }

  /** Publishes awaiting acknowledgement now (bounded by maxInFlight). */
  get publishing(): number {
    return this.inFlight.size;
  }

  /** Whether flushes go out as frames written here (true) or through the client's `publish`. */
  get writesFrames(): boolean {
    return this.protocol !== undefined;
  }

  /** Publishes waiting for a slot now. */
  get queuedPublishes(): number {
    return this.waiting.length;
  }

  /**
   * Publishes to a JetStream stream; resolves once the stream acknowledged it (stored, and on a cluster by
   * a quorum of its replicas). `stream` is the only stream that may store it (the server refuses otherwise).
   */
  publish(subject: string, payload: Uint8Array, stream: string): Promise<StoredAck> {
    if (this.closed || this.nc.isClosed()) {
      return Promise.reject(
        new MeshError('MESH_BACKEND_UNAVAILABLE', 'publishing: the NATS connection is closed'),
      );
    }
    return new Promise<StoredAck>((resolve, reject) => {
      const publish: Publish = {
        subject,
        payload,
        headers: this.expectHeader(stream),
        deadline: Date.now() + this.options.timeoutMs,
        resolve,
        reject,
      };
      if (this.waiting.length === 0 && this.inFlight.size < this.maxInFlight) this.start(publish);
      else this.waiting.push(publish);
      this.sweepSoon();
    });
  }

  /** Sends a one-way message with the others of this turn; throws when the connection is closed. */
  send(subject: string, payload: Uint8Array | string): void {
    if (this.closed || this.nc.isClosed()) {
      throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'sending: the NATS connection is closed');
    }
    this.enqueue({ subject, payload });
  }

  /** Sends what is queued, fails every publish not yet acknowledged, and stops. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    const error = new MeshError('MESH_BACKEND_UNAVAILABLE', 'publishing: the jetstream backend is closed');
    for (const publish of [...this.inFlight.values(), ...this.waiting]) publish.reject(error);
    this.inFlight.clear();
    this.waiting.length = 0;
    this.replies.unsubscribe();
  }

  private start(publish: Publish): void {
    const id = ++this.ids;
    this.inFlight.set(id, publish);
    this.enqueue({
      subject: publish.subject,
      payload: publish.payload,
      id,
      reply: `${this.inbox}.${id}`,
      headers: publish.headers,
    });
  }

  private settle(id: number, read: () => StoredAck): void {
    const publish = this.inFlight.get(id);
    if (publish === undefined) return; // timed out already
    this.inFlight.delete(id);
    try {
      publish.resolve(read());
    } catch (error) {
      publish.reject(toMeshError(error, 'appending events'));
    }
    this.admit();
  }

  /** Starts waiting publishes while slots are free. */
  private admit(): void {
    while (this.waiting.length > 0 && this.inFlight.size < this.maxInFlight) {
      this.start(this.waiting.shift() as Publish);
    }
  }

  private enqueue(message: Outgoing): void {
    this.queued.push(message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After this turn's I/O callbacks: everything they queued leaves in one write.
    setImmediate(() => this.flush());
  }

  /** Hands everything queued to the client now (before a flush of the connection, or closing). */
  flush(): void {
    this.flushScheduled = false;
    const queued = this.queued;
    if (queued.length === 0) return;
    this.queued = [];
    const protocol = this.protocol;
    // Closed or draining: the client's publish says so, as it would for any message.
    if (protocol === undefined || protocol.noMorePublishing || this.nc.isClosed()) this.publishEach(queued);
    else this.writeFrame(protocol, queued);
  }

  private writeFrame(protocol: ProtocolQueue, queued: readonly Outgoing[]): void {
    const maxPayload = this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    const frame = this.frame;
    for (const m of queued) {
      if (frame.add(m.subject, m.reply, m.headers?.encoded, m.payload, maxPayload)) continue;
      // Too large to send (the server would close the connection): a publish fails, as the client's own
      // check would fail it; a one-way message is dropped, as one lost on the wire.
      if (m.id !== undefined) {
        this.settle(m.id, () => {
          throw new MeshError(
            'MESH_BODY_TOO_LARGE',
            `appending events: the event is larger than the NATS server's max_payload (${maxPayload})`,
          );
        });
      }
    }
    if (frame.size > 0) protocol.sendCommand(frame.take());
  }

  private publishEach(queued: readonly Outgoing[]): void {
    for (const m of queued) {
      const options: PublishOptions | undefined =
        m.reply === undefined ? undefined : { reply: m.reply, headers: m.headers?.value };
      try {
        this.nc.publish(m.subject, m.payload, options);
      } catch (error) {
        // The connection closed after the message was queued: a publish fails now; a one-way message is
        // lost as it would have been on the wire (a settlement comes back after ack_wait).
        if (m.id !== undefined)
          this.settle(m.id, () => {
            throw error;
          });
      }
    }
  }

  private sweepSoon(): void {
    if (this.sweeper !== undefined) return;
    const every = Math.max(10, Math.min(250, this.options.timeoutMs / 4));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  /** Fails publishes past their deadline: in flight (oldest first) and waiting. */
  private sweep(): void {
    const now = Date.now();
    const late = new MeshError(
      'MESH_BACKEND_UNAVAILABLE',
      `appending events: JetStream did not acknowledge within ${this.options.timeoutMs} ms`,
    );
    for (const [id, publish] of this.inFlight) {
      if (publish.deadline > now) break;
      this.inFlight.delete(id);
      publish.reject(late);
    }
    while (this.waiting.length > 0 && (this.waiting[0] as Publish).deadline <= now) {
      (this.waiting.shift() as Publish).reject(late);
    }
    this.admit();
    if (this.inFlight.size === 0 && this.waiting.length === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private expectHeader(stream: string): Headers {
    let h = this.expectHeaders.get(stream);
    if (h === undefined) {
      const value = headers();
      value.set('Nats-Expected-Stream', stream);
      // Encoded once per stream rather than once per publish (the NATS/1.0 header block).
      h = { value, encoded: Buffer.from(`NATS/1.0\r\nNats-Expected-Stream: ${stream}\r\n\r\n`) };
      this.expectHeaders.set(stream, h);
    }
    return h;
  }
}

/** Reads JetStream's answer to a publish: an ack, an API error, or a status (503: nothing stores it). */
export function readAck(status: number, description: string, data: Uint8Array): StoredAck {
  if (status === 503) {
    throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'appending events: no JetStream stream answered (503)');
  }
  if (status !== 0 && data.length === 0) {
    throw new MeshError(
      'MESH_BACKEND_UNAVAILABLE',
      `appending events: JetStream answered ${status} ${description}`,
    );
  }
  const body = JSON.parse(decoder.decode(data)) as {
    stream?: unknown;
    seq?: unknown;
    duplicate?: unknown;
    error?: ApiError;
  };
  if (body.error !== undefined) throw new JetStreamApiError(body.error);
  if (typeof body.stream !== 'string' || body.stream === '' || typeof body.seq !== 'number') {
    throw new MeshError(
      'MESH_BACKEND_UNAVAILABLE',
      'appending events: JetStream sent an invalid acknowledgement',
    );
  }
  return { stream: body.stream, seq: body.seq, duplicate: body.duplicate === true };
}
