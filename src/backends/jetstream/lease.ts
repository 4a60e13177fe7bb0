/**
 * A lease is one JetStream delivery held by this process: `ack`, `nak(delay)` and `term` are the
 * consumer's own verbs (STYLE 3), sent to the message's ack subject without waiting for a reply, as the
 * NATS clients' own `ack()` does: a settlement lost with the connection only means a redelivery, which
 * at-least-once allows, while waiting for each reply halved delivery throughput (docs/jetstream.md). `attempt`
 * is the server's delivery count, so it survives restarts and is the same whichever replica holds it.
 *
 * A lease not settled within `leaseMs` is handed back (`-NAK`, redelivered at once with the next delivery
 * count), and settles nothing afterwards, like a stale lease of the memory backend. If this process dies,
 * the consumer's ack_wait brings the delivery back instead; a lease longer than ack_wait is kept alive
 * with progress acks (`+WPI`) meanwhile.
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { Lease } from '../../store/contracts.js';

/** What the `$JS.ACK...` reply subject of a delivered message says about it. */
export interface AckSubjectInfo {
  readonly stream: string;
  readonly consumer: string;
  /** How many times the message was delivered to this consumer, this time included. */
  readonly delivered: number;
  readonly streamSeq: number;
  /** When the message was stored, epoch ms. */
  readonly storedAt: number;
  /** Messages left for the consumer after this one. */
  readonly pending: number;
}

/**
 * Parses an ack subject: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` (servers
 * before 2.10) or the form with `<domain>.<account hash>` after `ACK` and a random token at the end.
 */
export function parseAckSubject(subject: string): AckSubjectInfo | undefined {
  const t = subject.split('.');
  if (t[0] !== '$JS' || t[1] !== 'ACK') return undefined;
  const base = t.length === 9 ? 2 : t.length >= 11 ? 4 : -1;
  if (base < 0) return undefined;
  const number = (i: number): number => Number(t[base + i]);
  const info: AckSubjectInfo = {
    stream: t[base] ?? '',
    consumer: t[base + 1] ?? '',
    delivered: number(2),
    streamSeq: number(3),
    storedAt: Math.floor(number(5) / 1e6),
    pending: number(6),
  };
  const valid = [info.delivered, info.streamSeq, info.storedAt, info.pending].every(Number.isSafeInteger);
  return valid && info.delivered >= 1 ? info : undefined;
}

/** The lease's view of the puller that handed it out. */
export interface LeaseOwner {
  readonly ackWaitMs: number;
  /** Sends an ack-protocol payload; rejects when the connection is closed. */
  settle(ackSubject: string, payload: string): Promise<void>;
  /** Sends an ack-protocol payload, ignoring a closed connection (the consumer's ack_wait covers it). */
  send(ackSubject: string, payload: string): void;
  /** The lease is no longer held (settled or handed back). */
  forget(lease: JetStreamLease): void;
}

export function nakPayload(delayMs: number): string {
  const delay = Number.isFinite(delayMs) && delayMs > 0 ? Math.round(delayMs * 1e6) : 0;
  return delay === 0 ? '-NAK' : `-NAK {"delay":${delay}}`;
}

export class JetStreamLease implements Lease {
  readonly attempt: number;
  readonly seq: number;
  private held = true;
  private readonly expiry: NodeJS.Timeout;
  private readonly keepAlive: NodeJS.Timeout | undefined;

  constructor(
    readonly event: CloudEvent,
    readonly appendedAt: number,
    private readonly ackSubject: string,
    info: AckSubjectInfo,
    leaseMs: number,
    private readonly owner: LeaseOwner,
  ) {
    this.attempt = info.delivered;
    this.seq = info.streamSeq;
    this.expiry = setTimeout(() => this.release(), leaseMs);
    if (leaseMs > owner.ackWaitMs * 0.8) {
      this.keepAlive = setInterval(() => owner.send(ackSubject, '+WPI'), owner.ackWaitMs / 2);
    }
  }

  get isHeld(): boolean {
    return this.held;
  }

  ack(): Promise<void> {
    return this.settle('+ACK');
  }

  nak(delayMs: number): Promise<void> {
    return this.settle(nakPayload(delayMs));
  }

  term(): Promise<void> {
    return this.settle('+TERM');
  }

  /** Hands the delivery back for redelivery now (lease expired, or this process is closing). */
  release(): void {
    if (!this.stop()) return;
    this.owner.send(this.ackSubject, '-NAK');
  }

  /** Lets go without telling the server: the consumer is gone, there is nothing left to settle. */
  abandon(): void {
    this.stop();
  }

  private settle(payload: string): Promise<void> {
    if (!this.stop()) return Promise.resolve();
    return this.owner.settle(this.ackSubject, payload);
  }

  private stop(): boolean {
    if (!this.held) return false;
    this.held = false;
    clearTimeout(this.expiry);
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    this.owner.forget(this);
    return true;
  }
}
