/**
 * Per-key ordered delivery, written once above the store contract: a DeliveryQueue that wraps a store's
 * queue and hands out, for each partition key, only the oldest event not yet settled (docs/delivery.md,
 * "Ordered delivery"). Different keys are handed out in parallel; the dispatcher's max-in-flight bounds them.
 *
 * It holds the store's leases itself until each event is settled, and answers the delivery steps' verbs
 * on leases of its own:
 * - `ack` / `term` settle the store lease, then (once the store took it) let the key's next event go;
 * - `nak(delay)` keeps the store lease and hands the event out again after `delay`, attempt + 1, while the
 *   key's younger events wait. Nothing is nak'ed to the store, so the store never holds an older event of a
 *   key back while handing out a younger one: after a crash (embedded, JetStream) every held delivery is
 *   due again in the order the store accepted it, and the retry starts over from attempt 1.
 * - a lease not settled within `leaseMs` comes back with attempt + 1, as the store's own would.
 *
 * The key is the CloudEvents Partitioning extension `partitionkey`. Events without one are independent:
 * each is delivered as soon as it is leased, like a Kafka record without a key.
 */
import { linkedSignal } from '../../core/signals.js';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { DeliveryQueue, Lease, LeaseOptions, QueueClaim } from '../../store/contracts.js';
import { LEASE_ERROR_PAUSE_MS } from './dispatcher.js';

/** The CloudEvents Partitioning extension (cloudevents/spec extensions/partitioning.md). */
export const PARTITION_KEY_EXTENSION = 'partitionkey';

/** Store leases are held until settled; only a dead process lets them come back (the longest timer). */
const HOLD_MS = 2 ** 31 - 1;
/** Longest wait for the deliveries an earlier holder left leased, once they are due again. */
const FENCE_MAX_MS = 5_000;

export interface OrderedQueueOptions {
  readonly queue: DeliveryQueue;
  /**
   * Most store leases held at once: in flight, waiting for a retry, or waiting behind an older event of
   * their key. Read on every lease from the store.
   */
  readonly window: () => number;
  readonly onError: (error: unknown) => void;
}

const READY = 0;
const ACTIVE = 1;
const WAITING = 2;
const DONE = 3;

interface Entry {
  readonly lease: Lease;
  readonly key: unknown;
  /** The attempt of the next hand-out. */
  attempt: number;
  state: typeof READY | typeof ACTIVE | typeof WAITING | typeof DONE;
  /** Increases on every hand-out; a lease of ours whose token is older is stale. */
  token: number;
  timer: NodeJS.Timeout | undefined;
  /** The key's next event, in the store's order. */
  next: Entry | undefined;
}

interface Lane {
  head: Entry;
  tail: Entry;
}

interface Waiter {
  readonly max: number;
  readonly leaseMs: number;
  readonly signal: AbortSignal;
  readonly resolve: (leases: Lease[]) => void;
  readonly onAbort: () => void;
}

export function partitionKeyOf(event: CloudEvent): string | undefined {
  const value = event.attributes[PARTITION_KEY_EXTENSION];
  return value === undefined || value === null ? undefined : String(value);
}

export class OrderedQueue implements DeliveryQueue {
  private readonly lanes = new Map<unknown, Lane>();
  private ready: Entry[] = [];
  private readyHead = 0;
  private waiters: Waiter[] = [];
  private held = 0;
  private roomFreed: (() => void) | undefined;
  private readonly abort = new AbortController();
  private pumping: Promise<void> | undefined;
  /** Deliveries still to take in before handing any out (see raiseFence). */
  private fence = 0;
  private fenceTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: OrderedQueueOptions) {}

  /** Store leases held now (in flight, waiting for a retry or behind their key). */
  get holding(): number {
    return this.held;
  }

  lease(options: LeaseOptions): Promise<Lease[]> {
    if (this.closed || options.signal.aborted) return Promise.resolve([]);
    this.pumping ??= this.pump();
    const max = Math.max(1, Math.floor(options.max));
    if (this.readyCount > 0 && this.waiters.length === 0) {
      return Promise.resolve(this.take(max, options.leaseMs));
    }
    return new Promise<Lease[]>((resolve) => {
      const waiter: Waiter = {
        max,
        leaseMs: options.leaseMs,
        signal: options.signal,
        resolve,
        onAbort: () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve([]);
        },
      };
      options.signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /**
   * Stops leasing and hands every held delivery back to the store, oldest first, due at once: the next
   * holder (this process later, or another replica) starts each key where this one stopped. Settlements
   * of leases handed out before are ignored afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.roomFreed?.();
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve([]);
    }
    await this.pumping;
    await this.handBack();
  }

  private get readyCount(): number {
    return this.fence > 0 ? 0 : this.ready.length - this.readyHead;
  }

  /**
   * Leases from the store while this process may: always on a backend only this process uses, while it
   * holds the queue's claim on one several share (jetstream). Losing the claim hands everything back.
   */
  private async pump(): Promise<void> {
    const { signal } = this.abort;
    const { queue, onError } = this.options;
    while (!signal.aborted) {
      if (queue.claim === undefined) {
        await this.fill(signal);
        return;
      }
      let claim: QueueClaim | undefined;
      try {
        claim = await queue.claim(signal);
      } catch (error) {
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, LEASE_ERROR_PAUSE_MS));
        continue;
      }
      if (claim === undefined) return;
      this.raiseFence(claim.handedBack);
      const held = linkedSignal([signal, claim.lost]);
      const open = await this.fill(held.signal).finally(held.release);
      if (!signal.aborted) await this.handBack();
      await claim.release().catch(onError);
      if (!open) return;
    }
  }

  /**
   * Keeps up to `window` store leases held, so that a key waiting on a retry does not stall the others.
   * Returns false when the store closed.
   */
  private async fill(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      const room = Math.max(this.options.window(), this.fence) - this.held;
      if (room <= 0) {
        await new Promise<void>((resolve) => (this.roomFreed = resolve));
        this.roomFreed = undefined;
        continue;
      }
      let leases: Lease[];
      try {
        leases = await this.options.queue.lease({ max: room, leaseMs: HOLD_MS, signal });
      } catch (error) {
        if (signal.aborted) break;
        this.options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, LEASE_ERROR_PAUSE_MS));
        continue;
      }
      // [] without an abort: the backend closed (store contract), so there is nothing left to wait for.
      if (leases.length === 0 && !signal.aborted) return false;
      if (this.closed) {
        for (const lease of leases) await lease.nak(0).catch(this.options.onError);
        break;
      }
      for (const lease of leases) this.add(lease);
      this.serve();
    }
    return true;
  }

  /**
   * Deliveries an earlier holder left leased come back in the order their leases expired, not the store's:
   * nothing is handed out until they are all in (or FENCE_MAX_MS passed: some may have been settled late).
   */
  private raiseFence(handedBack: number): void {
    this.fence = handedBack;
    if (handedBack === 0) return;
    clearTimeout(this.fenceTimer);
    this.fenceTimer = setTimeout(() => this.lowerFence(), FENCE_MAX_MS);
  }

  private lowerFence(): void {
    this.fence = 0;
    clearTimeout(this.fenceTimer);
    this.serve();
  }

  /** Hands every held delivery back to the store, oldest first and due at once; our leases become stale. */
  private async handBack(): Promise<void> {
    const entries: Entry[] = [];
    for (const lane of this.lanes.values()) {
      for (let e: Entry | undefined = lane.head; e !== undefined; e = e.next) entries.push(e);
    }
    this.lanes.clear();
    this.ready = [];
    this.readyHead = 0;
    this.held = 0;
    this.fence = 0;
    clearTimeout(this.fenceTimer);
    entries.sort((a, b) => a.lease.seq - b.lease.seq);
    for (const e of entries) {
      clearTimeout(e.timer);
      e.state = DONE;
    }
    await Promise.all(entries.map((e) => e.lease.nak(0).catch(this.options.onError)));
  }

  private add(lease: Lease): void {
    this.held++;
    if (this.fence > 0 && --this.fence === 0) clearTimeout(this.fenceTimer);
    const partitionKey = partitionKeyOf(lease.event);
    const entry: Entry = {
      lease,
      // An event without a key is a lane of its own.
      key: partitionKey ?? Symbol(),
      attempt: lease.attempt,
      state: WAITING,
      token: 0,
      timer: undefined,
      next: undefined,
    };
    const lane = this.lanes.get(entry.key);
    if (lane === undefined) {
      this.lanes.set(entry.key, { head: entry, tail: entry });
      this.makeReady(entry);
    } else if (lane.tail.lease.seq <= lease.seq) {
      lane.tail.next = entry;
      lane.tail = entry;
    } else if (lane.head.state === READY && lease.seq < lane.head.lease.seq) {
      // Older than every held event of its key, none of which was handed out yet (a redelivery after
      // another holder died, or a replay): it goes first.
      lane.head.state = WAITING;
      entry.next = lane.head;
      lane.head = entry;
      this.makeReady(entry);
    } else {
      // Older than some held event of its key: before every younger one not handed out yet.
      let before = lane.head;
      while (before.next !== undefined && before.next.lease.seq <= lease.seq) before = before.next;
      entry.next = before.next;
      before.next = entry;
    }
  }

  private makeReady(entry: Entry): void {
    entry.state = READY;
    this.ready.push(entry);
  }

  private take(max: number, leaseMs: number): Lease[] {
    const out: Lease[] = [];
    while (out.length < max && this.readyHead < this.ready.length) {
      const entry = this.ready[this.readyHead++] as Entry;
      if (entry.state !== READY) continue;
      out.push(this.handOut(entry, leaseMs));
    }
    if (this.readyHead === this.ready.length) {
      this.ready = [];
      this.readyHead = 0;
    } else if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    return out;
  }

  private handOut(entry: Entry, leaseMs: number): Lease {
    entry.state = ACTIVE;
    const token = ++entry.token;
    const attempt = entry.attempt++;
    entry.timer = setTimeout(() => this.expire(entry, token), leaseMs);
    return new OrderedLease(this, entry, token, attempt);
  }

  private serve(): void {
    while (this.waiters.length > 0 && this.readyCount > 0) {
      const waiter = this.waiters.shift() as Waiter;
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.take(waiter.max, waiter.leaseMs));
    }
  }

  /** True when `token` names the entry's current hand-out and it is not settled yet. */
  isCurrent(entry: Entry, token: number): boolean {
    return !this.closed && entry.state === ACTIVE && entry.token === token;
  }

  async settle(entry: Entry, token: number, settle: (lease: Lease) => Promise<void>): Promise<void> {
    if (!this.isCurrent(entry, token)) return;
    entry.state = DONE;
    clearTimeout(entry.timer);
    try {
      // The key moves on only once the store took the settlement, so a crash in between redelivers this
      // event before the next one, never after it.
      await settle(entry.lease);
    } finally {
      this.release(entry);
    }
  }

  retryLater(entry: Entry, token: number, delayMs: number): void {
    if (!this.isCurrent(entry, token)) return;
    clearTimeout(entry.timer);
    this.wait(entry, delayMs);
  }

  private expire(entry: Entry, token: number): void {
    if (this.isCurrent(entry, token)) this.wait(entry, 0);
  }

  private wait(entry: Entry, delayMs: number): void {
    entry.state = WAITING;
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        if (this.closed || entry.state !== WAITING) return;
        this.makeReady(entry);
        this.serve();
      },
      Math.max(0, Math.min(delayMs, HOLD_MS)),
    );
  }

  /** The entry is settled: its key's next event may go, and the store may hand out one more. */
  private release(entry: Entry): void {
    if (this.closed) return;
    this.held--;
    const lane = this.lanes.get(entry.key);
    if (lane !== undefined && lane.head === entry) {
      const next = entry.next;
      if (next === undefined) this.lanes.delete(entry.key);
      else {
        lane.head = next;
        this.makeReady(next);
      }
    }
    this.roomFreed?.();
    this.serve();
  }
}

/** What the delivery steps hold: the store lease's event, with this queue's attempt and verbs. */
class OrderedLease implements Lease {
  constructor(
    private readonly owner: OrderedQueue,
    private readonly entry: Entry,
    private readonly token: number,
    readonly attempt: number,
  ) {}

  get event(): CloudEvent {
    return this.entry.lease.event;
  }

  get seq(): number {
    return this.entry.lease.seq;
  }

  get appendedAt(): number {
    return this.entry.lease.appendedAt;
  }

  ack(): Promise<void> {
    return this.owner.settle(this.entry, this.token, (lease) => lease.ack());
  }

  nak(delayMs: number): Promise<void> {
    this.owner.retryLater(this.entry, this.token, delayMs);
    return Promise.resolve();
  }

  term(): Promise<void> {
    return this.owner.settle(this.entry, this.token, (lease) => lease.term());
  }
}
