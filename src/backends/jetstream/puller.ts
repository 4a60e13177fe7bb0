/**
 * One queue's delivery side in this process: pull requests on the queue's durable consumer, sized by what
 * waiting `lease` calls ask for, and the leases made from what arrives.
 *
 * The pull protocol is driven directly ($JS.API.CONSUMER.MSG.NEXT with our own inbox) rather than through
 * the client's fetch/consume, because a JetStream pull request cannot be cancelled: when a `lease` call is
 * aborted, messages may still arrive for its request. They land in a small buffer for the next `lease`
 * instead of going to a closed inbox, where they would come back only after ack_wait, with an inflated
 * attempt. At most one pull request is open per queue and process, and it asks for no more than the
 * waiting calls want, so other replicas get the rest (ARCHITECTURE 5: replicas share the delivery work).
 */
import diagnostics from 'node:diagnostics_channel';
import { createInbox, type Msg, type Subscription } from '@nats-io/transport-node';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { Lease, LeaseOptions } from '../../store/contracts.js';
import { decodeEvent } from './codec.js';
import { toMeshError } from './errors.js';
import { JetStreamLease, parseAckSubject, type AckSubjectInfo, type LeaseOwner } from './lease.js';
import type { SharedConnection } from './connection.js';

/** Header of a replayed copy: when the original event was appended (epoch ms). */
export const APPENDED_AT_HEADER = 'Cemesh-Appended-At';

/** Published when a stored message cannot be read as an event (it is terminated, not redelivered forever). */
export const corruptMessageChannel = diagnostics.channel('cemesh:jetstream:corrupt-message');

export const PULL_EXPIRES_MS = 10_000;
/** A pull request that neither delivered nor ended this long after it expired is taken as lost. */
const PULL_GRACE_MS = 2_000;
/**
 * Until the consumer has answered a pull of this process (a delivery, or the end of a pull), a pull expires
 * this soon and is taken as lost this soon after: a consumer just created or just given a leader on a cluster
 * may drop a pull without an answer, and with the usual expiry this replica then sat idle for 12 s while
 * the other one took every delivery (the cluster suite's "replica 2 delivered 0 of 100").
 */
export const FIRST_PULL_EXPIRES_MS = 1_000;
const FIRST_PULL_GRACE_MS = 1_000;
const MAX_BATCH = 1_000;
/** Buffered messages nobody leases for this long are handed back to the consumer. */
const RELEASE_IDLE_MS = 1_000;
/** How long a lease call waits for the rest of a batch the server said is coming. */
const GATHER_MS = 20;
/** Pause before pulling again after the server turned a pull request down (409). */
const RETRY_PAUSE_MS = 100;

interface Arrived {
  readonly ackSubject: string;
  readonly info: AckSubjectInfo;
  readonly event: CloudEvent;
  readonly appendedAt: number;
  readonly receivedAt: number;
}

interface Waiter {
  readonly max: number;
  readonly leaseMs: number;
  readonly signal: AbortSignal;
  readonly got: Arrived[];
  readonly resolve: (leases: Lease[]) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
  gatherTimer?: NodeJS.Timeout;
}

export interface PullerTarget {
  readonly stream: string;
  readonly consumer: string;
  /** Creates the durable consumer if it is missing. */
  ensureConsumer(): Promise<void>;
}

export class QueuePuller implements LeaseOwner {
  readonly ackWaitMs: number;
  private readonly waiters: Waiter[] = [];
  private buffer: Arrived[] = [];
  private readonly held = new Set<JetStreamLease>();
  private readonly inbox = createInbox();
  private readonly subscription: Subscription;
  private readonly leaderElected: Subscription;
  private readonly stopReconnect: () => void;
  private pull: { id: number; remaining: number; timer: NodeJS.Timeout } | undefined;
  private pullIds = 0;
  private pumping = false;
  private consumerReady = false;
  /** The consumer answered a pull since it was last (re)checked: pulls may wait the usual expiry. */
  private answered = false;
  private releaseTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly conn: SharedConnection,
    private readonly target: PullerTarget,
  ) {
    this.ackWaitMs = conn.options.ackWaitMs;
    this.subscription = conn.nc.subscribe(`${this.inbox}.*`, {
      callback: (error, msg) => {
        if (error === null) this.onMessage(msg);
      },
    });
    // A pull request waiting on a consumer leader that died is lost without an answer; the server
    // announces the new leader, so ask it at once instead of after the request's expiry.
    this.leaderElected = conn.nc.subscribe(
      `$JS.EVENT.ADVISORY.CONSUMER.LEADER_ELECTED.${target.stream}.${target.consumer}`,
      { callback: () => this.renewPull() },
    );
    this.stopReconnect = conn.onReconnect(() => {
      // Pull requests die with the connection; ask again, once the consumer has a leader (the server
      // this process was connected to may have been the leader, and an election takes seconds).
      this.consumerReady = false;
      this.renewPull();
    });
  }

  lease(options: LeaseOptions): Promise<Lease[]> {
    if (this.closed || options.signal.aborted) return Promise.resolve([]);
    const max = Math.max(1, Math.floor(options.max));
    if (this.waiters.length === 0 && this.buffer.length > 0) {
      return Promise.resolve(this.toLeases(this.buffer.splice(0, max), options.leaseMs));
    }
    return new Promise<Lease[]>((resolve, reject) => {
      const waiter: Waiter = {
        max,
        leaseMs: options.leaseMs,
        signal: options.signal,
        got: [],
        resolve,
        reject,
        onAbort: () => this.abandon(waiter),
      };
      options.signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.drainBuffer();
      this.pump();
    });
  }

  /** Forgets everything about the consumer (it was deleted); waiting calls keep waiting on its successor. */
  reset(): void {
    this.consumerReady = false;
    this.buffer = [];
    for (const waiter of this.waiters) waiter.got.splice(0);
    for (const lease of [...this.held]) lease.abandon();
    this.endPull();
    this.pump();
  }

  /** Resolves waiting calls with [] and hands every buffered and held delivery back to the consumer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of [...this.waiters]) this.abandon(waiter);
    for (const arrived of this.buffer) this.send(arrived.ackSubject, '-NAK');
    this.buffer = [];
    for (const lease of [...this.held]) lease.release();
    this.endPull();
    clearTimeout(this.releaseTimer);
    clearTimeout(this.retryTimer);
    this.stopReconnect();
    this.subscription.unsubscribe();
    this.leaderElected.unsubscribe();
  }

  // LeaseOwner

  settle(ackSubject: string, payload: string): Promise<void> {
    try {
      this.conn.outbox.send(ackSubject, payload);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(toMeshError(error, 'settling a delivery'));
    }
  }

  send(ackSubject: string, payload: string): void {
    try {
      this.conn.outbox.send(ackSubject, payload);
    } catch {
      // A closed connection: the consumer's ack_wait hands the delivery out again.
    }
  }

  forget(lease: JetStreamLease): void {
    this.held.delete(lease);
  }

  // Pulling

  private pump(): void {
    if (this.closed || this.pumping || this.pull !== undefined || this.waiters.length === 0) return;
    this.pumping = true;
    void this.openPull().finally(() => {
      this.pumping = false;
    });
  }

  /** True while this queue's consumer is being created (compaction waits for it). */
  get openingConsumer(): boolean {
    return this.pumping && !this.consumerReady;
  }

  private async openPull(): Promise<void> {
    try {
      if (!this.consumerReady) {
        await this.target.ensureConsumer();
        this.consumerReady = true;
        this.answered = false;
      }
    } catch (error) {
      this.failWaiters(toMeshError(error, 'opening a delivery queue'));
      return;
    }
    if (this.closed || this.pull !== undefined) return;
    const demand = Math.min(
      MAX_BATCH,
      this.waiters.reduce((sum, w) => sum + (w.max - w.got.length), 0),
    );
    if (demand <= 0) return;
    const id = ++this.pullIds;
    const expiresMs = this.answered ? PULL_EXPIRES_MS : FIRST_PULL_EXPIRES_MS;
    const graceMs = this.answered ? PULL_GRACE_MS : FIRST_PULL_GRACE_MS;
    const timer = setTimeout(() => this.onPullLost(id), expiresMs + graceMs);
    this.pull = { id, remaining: demand, timer };
    try {
      this.conn.nc.publish(
        `$JS.API.CONSUMER.MSG.NEXT.${this.target.stream}.${this.target.consumer}`,
        JSON.stringify({ batch: demand, expires: expiresMs * 1e6 }),
        { reply: `${this.inbox}.${id}` },
      );
    } catch (error) {
      this.endPull();
      this.failWaiters(toMeshError(error, 'pulling deliveries'));
    }
  }

  private renewPull(): void {
    if (this.closed) return;
    this.endPull();
    this.pump();
  }

  private endPull(): void {
    if (this.pull === undefined) return;
    clearTimeout(this.pull.timer);
    this.pull = undefined;
  }

  private onPullLost(id: number): void {
    if (this.pull?.id !== id) return;
    this.pull = undefined;
    // Maybe the consumer went away without telling this pull: check it before asking again.
    this.consumerReady = false;
    this.pump();
  }

  private onMessage(msg: Msg): void {
    if (msg.reply?.startsWith('$JS.ACK.')) {
      this.onDelivery(msg, msg.reply);
      return;
    }
    const id = Number(msg.subject.slice(this.inbox.length + 1));
    if (this.pull?.id !== id) return;
    const code = msg.headers?.code ?? 0;
    if (code === 100) return; // idle heartbeat
    this.endPull();
    if (code === 404 || code === 408) {
      this.answered = true;
      this.pump();
      return;
    }
    // 409: consumer deleted, too many waiting pulls, leader change, server shutting down...
    if (/deleted/i.test(msg.headers?.description ?? '')) this.consumerReady = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.pump(), RETRY_PAUSE_MS);
  }

  private onDelivery(msg: Msg, ackSubject: string): void {
    const info = parseAckSubject(ackSubject);
    if (info === undefined) return;
    this.answered = true;
    if (this.pull !== undefined && --this.pull.remaining <= 0) this.endPull();
    if (this.closed) {
      this.send(ackSubject, '-NAK');
      return;
    }
    let event: CloudEvent;
    try {
      event = decodeEvent(msg.data);
    } catch (error) {
      // Not ours (someone else published on a cemesh subject): redelivering it forever helps no one.
      this.send(ackSubject, '+TERM');
      corruptMessageChannel.publish({ stream: info.stream, seq: info.streamSeq, error });
      this.pump();
      return;
    }
    const header = Number(msg.headers?.get(APPENDED_AT_HEADER) || NaN);
    const arrived: Arrived = {
      ackSubject,
      info,
      event,
      appendedAt: Number.isSafeInteger(header) ? header : info.storedAt,
      receivedAt: Date.now(),
    };
    this.hand(arrived);
    this.pump();
  }

  /** Gives an arrived delivery to the first waiting call, or buffers it. */
  private hand(arrived: Arrived): void {
    const waiter = this.waiters[0];
    if (waiter === undefined) {
      // A redelivery supersedes a buffered copy of the same message.
      this.buffer = this.buffer.filter((b) => b.info.streamSeq !== arrived.info.streamSeq);
      this.buffer.push(arrived);
      this.armRelease();
      return;
    }
    waiter.got.push(arrived);
    if (waiter.got.length >= waiter.max) {
      this.finish(waiter);
      return;
    }
    // The server says more messages wait and our pull request is still open: they are on their way, so
    // fill the batch (briefly; another replica's pull may take them). Otherwise resolve with what came
    // together with this one.
    const moreComing = arrived.info.pending > 0 && this.pull !== undefined;
    if (moreComing) waiter.gatherTimer ??= setTimeout(() => this.finish(waiter), GATHER_MS);
    else setImmediate(() => this.finish(waiter));
  }

  private finish(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    this.detach(waiter);
    waiter.resolve(this.toLeases(waiter.got, waiter.leaseMs));
  }

  private abandon(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    this.detach(waiter);
    this.buffer.unshift(...waiter.got);
    waiter.resolve([]);
    this.drainBuffer();
    if (this.buffer.length > 0 && !this.closed) this.armRelease();
  }

  private drainBuffer(): void {
    while (this.waiters.length > 0 && this.buffer.length > 0) this.hand(this.buffer.shift()!);
  }

  private failWaiters(error: Error): void {
    for (const waiter of this.waiters.splice(0)) {
      this.detach(waiter);
      this.buffer.unshift(...waiter.got);
      waiter.reject(error);
    }
  }

  private detach(waiter: Waiter): void {
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    clearTimeout(waiter.gatherTimer);
  }

  private toLeases(arrived: readonly Arrived[], leaseMs: number): Lease[] {
    const now = Date.now();
    return arrived.map((a) => {
      // Waiting in the buffer used up ack_wait; restart the server's clock for the new holder.
      if (now - a.receivedAt > this.ackWaitMs / 3) this.send(a.ackSubject, '+WPI');
      const lease = new JetStreamLease(a.event, a.appendedAt, a.ackSubject, a.info, leaseMs, this);
      this.held.add(lease);
      return lease;
    });
  }

  private armRelease(): void {
    if (this.releaseTimer !== undefined) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      if (this.waiters.length > 0 || this.closed) return;
      // Nobody here wants them now: let another replica (or a later call) have them at once.
      for (const arrived of this.buffer.splice(0)) this.send(arrived.ackSubject, '-NAK');
    }, RELEASE_IDLE_MS);
  }
}
