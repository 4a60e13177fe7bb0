/**
 * Drives one delivery queue: leases due deliveries, at most `maxInflight` at a time (and, when it shares its
 * origin's slots, about as many as that origin has free: slots.ts), and hands each to `handle`. Waits between retries are the queue's business (`nak(delay)`), so a failing subscriber holds
 * no slot while it waits and never delays another queue.
 *
 * On a queue that can say when it first holds a delivery (`whenWork`: memory, embedded), the loop starts
 * then, not at `start()`: most of 10,000 triggers never see an event, and a loop waiting in `lease` costs
 * each of them an AbortController, a listener and a promise (an idle loop's start took 27-38 us against
 * 11-15 us, its stop 24-26 us against 1.5-1.9 us: bench/idle-loops.ts).
 */
import type { DeliveryQueue, Lease } from '../../store/contracts.js';
import { leaseSize, type OriginSlots } from './slots.js';

export interface DispatcherOptions {
  readonly queue: DeliveryQueue;
  readonly handle: (lease: Lease) => Promise<void>;
  /** Read on every lease, so a changed trigger takes effect without a restart. */
  readonly maxInflight: () => number;
  readonly leaseMs: () => number;
  readonly onError: (error: unknown) => void;
  /**
   * The in-flight count of the origin this loop sends to, shared with the other loops sending there; read on
   * every lease, so a changed destination moves the loop's deliveries to its new origin's count. Absent or
   * undefined: only `maxInflight` bounds the loop.
   */
  readonly slots?: () => OriginSlots | undefined;
  /** Runs once stop() has drained: a queue that holds deliveries of its own (ordered) hands them back. */
  readonly afterStop?: () => Promise<void>;
}

/** How long to wait before leasing again after the queue itself failed (backend unavailable). */
export const LEASE_ERROR_PAUSE_MS = 500;

export class Dispatcher {
  private abort: AbortController | undefined;
  private stopped = false;
  /** Cancels the pending `whenWork` call while the loop waits for its queue's first delivery. */
  private cancelWait: (() => void) | undefined;
  private inflight = 0;
  /** Where this loop's in-flight deliveries are counted besides `inflight`. */
  private slots: OriginSlots | undefined;
  private slotFreed: (() => void) | undefined;
  private idle: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: DispatcherOptions) {}

  get inFlight(): number {
    return this.inflight;
  }

  /** Starts the loop, or on a queue that offers `whenWork`, arranges for it to start at the first delivery. */
  start(): void {
    if (this.stopped || this.loop !== undefined || this.cancelWait !== undefined) return;
    const { queue } = this.options;
    if (queue.whenWork === undefined) {
      this.loop = this.run();
      return;
    }
    this.cancelWait = queue.whenWork(() => {
      this.cancelWait = undefined;
      if (!this.stopped) this.loop ??= this.run();
    });
  }

  /** Stops leasing, then waits up to `drainMs` for in-flight deliveries to finish. */
  async stop(drainMs: number): Promise<void> {
    this.stopped = true;
    this.cancelWait?.();
    this.cancelWait = undefined;
    this.abort?.abort();
    this.slotFreed?.();
    await this.loop;
    if (this.inflight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs))),
      ]);
      clearTimeout(timer);
    }
    await this.options.afterStop?.();
  }

  private async run(): Promise<void> {
    this.abort = new AbortController();
    const { signal } = this.abort;
    while (!signal.aborted) {
      const free = leaseSize(
        this.options.maxInflight() - this.inflight,
        this.originSlots()?.free,
        this.inflight,
      );
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        this.slotFreed = undefined;
        continue;
      }
      let leases: Lease[];
      try {
        leases = await this.options.queue.lease({ max: free, leaseMs: this.options.leaseMs(), signal });
      } catch (error) {
        if (signal.aborted) break;
        this.options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, LEASE_ERROR_PAUSE_MS));
        continue;
      }
      for (const lease of leases) this.dispatch(lease);
    }
  }

  /** The origin's count, moving this loop's in-flight deliveries over when its destination changed. */
  private originSlots(): OriginSlots | undefined {
    const slots = this.options.slots?.();
    if (slots !== this.slots) {
      this.slots?.give(this.inflight);
      slots?.take(this.inflight);
      this.slots = slots;
    }
    return slots;
  }

  private dispatch(lease: Lease): void {
    this.inflight++;
    this.slots?.take(1);
    // One reaction per delivery (catch + finally would chain two more promises on every event).
    this.options.handle(lease).then(this.settled, this.failed);
  }

  private readonly settled = (): void => {
    this.inflight--;
    this.slots?.give(1);
    this.slotFreed?.();
    if (this.inflight === 0) this.idle?.();
  };

  private readonly failed = (error: unknown): void => {
    this.options.onError(error);
    this.settled();
  };
}
