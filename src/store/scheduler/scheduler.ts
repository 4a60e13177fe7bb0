/**
 * The in-memory index of one delivery queue's pending work, shared by the memory and embedded backends:
 * which deliveries are due, which are delayed by a nak, which are leased and until when, and who is
 * waiting for work. It owns one timer (the earliest of the next nak'ed delivery falling due and the next
 * lease deadline) and resolves waiting `lease` calls as soon as work arrives, without polling.
 *
 * Due deliveries are handed out oldest first by `seq`: fresh appends sit in a FIFO (they arrive in seq
 * order), deliveries that come back (nak, lease expiry, replay of older events) sit in a heap by seq, and
 * `take` picks the smaller head of the two.
 */
import { IndexedHeap, type HeapItem } from './heap.js';

export const READY = 0;
export const DELAYED = 1;
export const LEASED = 2;
export const DONE = 3;
export type PendingState = typeof READY | typeof DELAYED | typeof LEASED | typeof DONE;

/** One pending delivery as the scheduler sees it; backends extend it with what they need to build a Lease. */
export interface Pending extends HeapItem {
  readonly seq: number;
  /** Hand-outs so far; the next hand-out carries attempt + 1. Also the token that tells stale leases apart. */
  attempt: number;
  state: PendingState;
  /** When a DELAYED delivery falls due (epoch ms). */
  due: number;
  batch: LeaseBatch | undefined;
}

/** The deliveries handed out by one `take`, sharing one deadline: one heap entry per lease call. */
interface LeaseBatch extends HeapItem {
  readonly deadline: number;
  readonly items: readonly Pending[];
  outstanding: number;
}

interface Waiter<P> {
  readonly max: number;
  readonly leaseMs: number;
  readonly signal: AbortSignal;
  readonly resolve: (items: P[]) => void;
}

/** setTimeout's largest delay; later deadlines are re-armed when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Compact the FIFO array once this many handed-out slots sit at its front. */
const FIFO_COMPACT_AT = 4096;

// Heap keys shared by every scheduler: one scheduler per queue, and a broker may have 10,000 queues.
const bySeq = (p: Pending): number => p.seq;
const byDue = (p: Pending): number => p.due;
const byDeadline = (b: LeaseBatch): number => b.deadline;

export interface SchedulerOptions<P extends Pending = Pending> {
  /**
   * How late the timer may fire (ms, default 0): deadlines that fall within this slack of one another share
   * one timer run, which keeps timer churn low under load. Expiries and nak delays end at most this late.
   */
  readonly timerSlackMs?: number;
  /** Called once for each delivery that is finished or cleared (the memory backend's backlog count). */
  readonly onDone?: (p: P) => void;
}

export class DeliveryScheduler<P extends Pending> {
  private readonly slack: number;
  private fresh: P[] = [];
  private freshHead = 0;
  private readonly returned = new IndexedHeap<P>(bySeq);
  private readonly delayed = new IndexedHeap<P>(byDue);
  private readonly leases = new IndexedHeap<LeaseBatch>(byDeadline);
  private waiters: Waiter<P>[] = [];
  /**
   * Signals this scheduler listens to, one listener each for all of that signal's waits: a delivery loop
   * passes the same signal to every lease, and on a queue that empties after each event (S4: 100 busy
   * triggers) adding and removing a listener per wait was a cost of its own.
   */
  private readonly watchedSignals = new WeakSet<AbortSignal>();
  /** Called once when the queue next holds a delivery (whenWork). */
  private watchers: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private closed = false;
  private serveQueued = false;

  private readonly onDone: ((p: P) => void) | undefined;

  constructor(options: SchedulerOptions<P> = {}) {
    this.slack = Math.max(0, options.timerSlackMs ?? 0);
    this.onDone = options.onDone;
  }

  /** Deliveries due now. */
  get readyCount(): number {
    return this.fresh.length - this.freshHead + this.returned.size;
  }

  /**
   * Deliveries not yet finished (due, delayed or leased) and the oldest of them by seq. Scans the delayed
   * and leased ones: meant for a metrics scrape, not for the hot path.
   */
  backlog(): { depth: number; oldest: P | undefined } {
    let depth = this.readyCount + this.delayed.size;
    let oldest: P | undefined;
    const consider = (p: P | undefined): void => {
      if (p !== undefined && (oldest === undefined || p.seq < oldest.seq)) oldest = p;
    };
    consider(this.fresh[this.freshHead]);
    consider(this.returned.peek());
    for (const p of this.delayed.values()) consider(p);
    for (const batch of this.leases.values()) {
      for (const p of batch.items as P[]) {
        if (p.state !== LEASED || p.batch !== batch) continue;
        depth++;
        consider(p);
      }
    }
    return { depth, oldest };
  }

  /**
   * Every delivery not yet finished with when it falls due (0: now; a leased one is due now, since whoever
   * moves it takes it from its holder). For a broker migration, not for the hot path.
   */
  *unfinished(): Generator<{ pending: P; due: number }> {
    for (let i = this.freshHead; i < this.fresh.length; i++) yield { pending: this.fresh[i] as P, due: 0 };
    for (const p of this.returned.values()) yield { pending: p, due: 0 };
    for (const p of this.delayed.values()) yield { pending: p, due: p.due };
    for (const batch of this.leases.values()) {
      for (const p of batch.items as P[])
        if (p.state === LEASED && p.batch === batch) yield { pending: p, due: 0 };
    }
  }

  /** Waiting `lease` calls and `whenWork` callbacks: whoever must see deliveries added from now on. */
  get waiterCount(): number {
    return this.waiters.length + this.watchers.length;
  }

  /**
   * Calls `onWork` once, as soon as the queue holds a delivery (due, delayed or leased): on a microtask, at
   * once if it already holds one, else after the append that brings the first. A delivery loop waits here
   * instead of in `lease` until there is something to lease: 10,000 idle triggers then hold no waiting lease
   * (each costs an AbortSignal, a listener and a promise). The returned function cancels the call.
   */
  whenWork(onWork: () => void): () => void {
    if (this.closed) return () => undefined;
    let cancelled = false;
    const call = (): void => {
      if (!cancelled) onWork();
    };
    if (this.readyCount > 0 || this.delayed.size > 0 || this.leases.size > 0) queueMicrotask(call);
    else this.watchers.push(call);
    return () => {
      cancelled = true;
      this.watchers = this.watchers.filter((w) => w !== call);
    };
  }

  /** Adds a delivery that is due now. */
  add(p: P): void {
    p.state = READY;
    p.batch = undefined;
    const last = this.fresh[this.fresh.length - 1];
    if (this.freshHead === this.fresh.length || (last !== undefined && p.seq >= last.seq)) this.fresh.push(p);
    else this.returned.push(p);
    if (this.waiters.length > 0 && !this.serveQueued) {
      // Serve on a microtask so that a waiter gets every delivery of the append batch, not just the first.
      this.serveQueued = true;
      queueMicrotask(this.serveNow);
    }
    if (this.watchers.length > 0) this.callWatchers();
  }

  /** Adds a delivery that falls due at `due` (epoch ms). */
  addDelayed(p: P, due: number): void {
    if (due <= Date.now()) return this.add(p);
    p.state = DELAYED;
    p.batch = undefined;
    p.due = due;
    this.delayed.push(p);
    this.arm();
    if (this.watchers.length > 0) this.callWatchers();
  }

  /** Resolves with up to `max` due deliveries, waiting until there is one or `signal` aborts (then []). */
  lease(max: number, leaseMs: number, signal: AbortSignal): Promise<P[]> {
    if (this.closed || signal.aborted) return Promise.resolve([]);
    const now = Date.now();
    if (this.delayed.size > 0 || this.leases.size > 0) this.advance(now);
    if (this.readyCount > 0 && this.waiters.length === 0)
      return Promise.resolve(this.take(max, leaseMs, now));
    return new Promise<P[]>((resolve) => {
      this.watch(signal);
      this.waiters.push({ max, leaseMs, signal, resolve });
      if (this.readyCount > 0) this.serve(now);
    });
  }

  /** Resolves every wait of `signal` with [] when it aborts (one listener per signal, for as long as it lives). */
  private watch(signal: AbortSignal): void {
    if (this.watchedSignals.has(signal)) return;
    this.watchedSignals.add(signal);
    // Weakly: a loop's signal may outlive this scheduler (its queue dropped and made again).
    const scheduler = new WeakRef(this);
    signal.addEventListener('abort', () => scheduler.deref()?.abortWaits(signal), { once: true });
  }

  private abortWaits(signal: AbortSignal): void {
    const aborted = this.waiters.filter((w) => w.signal === signal);
    if (aborted.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.signal !== signal);
    for (const w of aborted) w.resolve([]);
  }

  /** Ends a lease for good (ack or term). False when the lease is stale: expired, or already settled. */
  finish(p: P, attempt: number): boolean {
    if (!this.release(p, attempt)) return false;
    p.state = DONE;
    this.onDone?.(p);
    return true;
  }

  /** Hands the delivery out again after `delayMs`. False when the lease is stale. */
  retry(p: P, attempt: number, delayMs: number): boolean {
    if (!this.release(p, attempt)) return false;
    if (delayMs > 0) this.addDelayed(p, Date.now() + delayMs);
    else this.add(p);
    return true;
  }

  /** Forgets every delivery; outstanding leases become stale. Waiters keep waiting. */
  clear(): void {
    const done = (p: P): void => {
      if (p.state === DONE) return;
      p.state = DONE;
      this.onDone?.(p);
    };
    for (let i = this.freshHead; i < this.fresh.length; i++) done(this.fresh[i] as P);
    this.fresh = [];
    this.freshHead = 0;
    for (const p of this.returned.drain()) done(p);
    for (const p of this.delayed.drain()) done(p);
    for (const b of this.leases.drain()) for (const p of b.items) done(p as P);
    this.arm();
  }

  /** Stops the timer and resolves every waiting lease with []. The held deliveries stay as they are. */
  close(): void {
    this.closed = true;
    this.watchers = [];
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve([]);
  }

  private callWatchers(): void {
    const watchers = this.watchers;
    this.watchers = [];
    // After the append batch, like serving a waiter: the loop started then leases the whole batch.
    for (const call of watchers) queueMicrotask(call);
  }

  private release(p: P, attempt: number): boolean {
    if (p.state !== LEASED || p.attempt !== attempt) return false;
    const batch = p.batch;
    p.batch = undefined;
    if (batch !== undefined && --batch.outstanding === 0) this.leases.remove(batch);
    return true;
  }

  private take(max: number, leaseMs: number, now: number): P[] {
    const items: P[] = [];
    while (items.length < max) {
      const head = this.fresh[this.freshHead];
      const back = this.returned.peek();
      let p: P;
      if (head !== undefined && (back === undefined || head.seq <= back.seq)) {
        this.fresh[this.freshHead++] = undefined as unknown as P;
        p = head;
      } else if (back !== undefined) {
        this.returned.pop();
        p = back;
      } else break;
      p.state = LEASED;
      p.attempt += 1;
      items.push(p);
    }
    this.compactFifo();
    if (items.length > 0) {
      const batch: LeaseBatch = { deadline: now + leaseMs, items, outstanding: items.length, heapIndex: -1 };
      for (const p of items) p.batch = batch;
      this.leases.push(batch);
      this.arm();
    }
    return items;
  }

  private compactFifo(): void {
    if (this.freshHead === this.fresh.length) {
      this.fresh = [];
      this.freshHead = 0;
    } else if (this.freshHead >= FIFO_COMPACT_AT && this.freshHead * 2 >= this.fresh.length) {
      this.fresh = this.fresh.slice(this.freshHead);
      this.freshHead = 0;
    }
  }

  private serve(now: number): void {
    while (this.waiters.length > 0 && this.readyCount > 0) {
      const w = this.waiters.shift() as Waiter<P>;
      w.resolve(this.take(w.max, w.leaseMs, now));
    }
  }

  /** Moves nak'ed deliveries that fell due, and deliveries whose lease expired, back to the due set. */
  private advance(now: number): void {
    for (let p = this.delayed.peek(); p !== undefined && p.due <= now; p = this.delayed.peek()) {
      this.delayed.pop();
      p.state = READY;
      this.returned.push(p);
    }
    for (let b = this.leases.peek(); b !== undefined && b.deadline <= now; b = this.leases.peek()) {
      this.leases.pop();
      for (const p of b.items as P[]) {
        if (p.state !== LEASED || p.batch !== b) continue;
        p.batch = undefined;
        p.state = READY;
        this.returned.push(p);
      }
    }
  }

  private serveNow = (): void => {
    this.serveQueued = false;
    this.serve(Date.now());
  };

  private onTimer = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    this.advance(now);
    this.serve(now);
    this.arm();
  };

  private arm(): void {
    if (this.closed) return;
    const next = Math.min(this.delayed.peek()?.due ?? Infinity, this.leases.peek()?.deadline ?? Infinity);
    if (next === Infinity) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer !== undefined && this.timerAt <= next + this.slack) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = next + this.slack;
    this.timer = setTimeout(this.onTimer, Math.min(MAX_TIMER_MS, Math.max(0, this.timerAt - Date.now())));
  }
}
