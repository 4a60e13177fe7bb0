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

/** Dot positions of the subject being parsed (parsing is synchronous, so one scratch array serves all). */
const dots = new Int32Array(16);

/**
 * Parses an ack subject: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` (servers
 * before 2.10) or the form with `<domain>.<account hash>` after `ACK` and a random token at the end.
 * It runs once per delivery: the subject is scanned once and only the fields read are cut out (splitting it
 * cost 0.43 against 0.19 us a subject, compiled: `bench/ack-subject.ts`).
 */
export function parseAckSubject(subject: string): AckSubjectInfo | undefined {
  if (!subject.startsWith('$JS.ACK.')) return undefined;
  let count = 0;
  for (let at = subject.indexOf('.'); at >= 0; at = subject.indexOf('.', at + 1)) {
    if (count < dots.length) dots[count] = at;
    count++;
  }
  const tokens = count + 1;
  const base = tokens === 9 ? 2 : tokens >= 11 ? 4 : -1;
  if (base < 0) return undefined;
  // Token i (after the prefix) runs from start(i) to end(i).
  const start = (i: number): number => (dots[base + i - 1] as number) + 1;
  const end = (i: number): number => (base + i < count ? (dots[base + i] as number) : subject.length);
  const info: AckSubjectInfo = {
    stream: subject.slice(start(0), end(0)),
    consumer: subject.slice(start(1), end(1)),
    delivered: digits(subject, start(2), end(2)),
    streamSeq: digits(subject, start(3), end(3)),
    // Nanoseconds since 1970: the milliseconds are all but the last six digits.
    storedAt: digits(subject, start(5), end(5) - 6),
    pending: digits(subject, start(6), end(6)),
  };
  const valid = info.delivered >= 1 && info.streamSeq >= 0 && info.storedAt >= 0 && info.pending >= 0;
  return valid ? info : undefined;
}

/** The decimal number `text` holds from `from` to `to`; NaN when empty, not all digits, or not exact. */
function digits(text: string, from: number, to: number): number {
  if (from >= to || to - from > 15) return Number.NaN;
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    n = n * 10 + digit;
  }
  return n;
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
