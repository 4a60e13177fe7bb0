/**
 * One DeliveryQueue over several (a sharded broker's per-stream queues, or the ordering layer over each of
 * them): a lease waits on every part at once and answers with what the first part to have deliveries
 * hands out. Parts are asked in turn, starting one further each call, so that a busy part cannot starve the
 * others when several have deliveries due. Leases other parts handed out in the same race are kept and
 * answered at once by the next call (or handed back with `nak(0)` when the caller stops).
 */
import { linkedSignal } from '../core/signals.js';
import type { DeliveryQueue, Lease, LeaseOptions, QueueBacklog } from './contracts.js';

export class MergedQueue implements DeliveryQueue {
  private spare: Lease[] = [];
  private turn = 0;
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(readonly parts: readonly DeliveryQueue[]) {}

  async lease(options: LeaseOptions): Promise<Lease[]> {
    if (this.spare.length > 0) return this.spare.splice(0, Math.max(1, Math.floor(options.max)));
    if (options.signal.aborted) return [];
    const first = this.turn++ % this.parts.length;
    const order = [...this.parts.slice(first), ...this.parts.slice(0, first)];
    // Not AbortSignal.any over the caller's loop signal: that leaks on every call (core/signals.ts).
    const stop = linkedSignal([options.signal]);
    const pending = order.map((part) => part.lease({ ...options, signal: stop.signal }));
    let failure: unknown;
    try {
      await firstNonEmpty(pending);
    } catch (error) {
      failure = error;
    }
    stop.abort();
    const results = await Promise.allSettled(pending);
    const leases = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    failure ??= results.find((r) => r.status === 'rejected')?.reason;
    const answer = failure === undefined ? leases.splice(0, Math.max(1, Math.floor(options.max))) : [];
    this.keep(leases, options.signal);
    if (failure !== undefined) throw failure;
    return answer;
  }

  backlog(): QueueBacklog | undefined {
    let depth = 0;
    let oldestAppendedAt: number | undefined;
    for (const part of this.parts) {
      const backlog = part.backlog?.();
      if (backlog === undefined) return undefined;
      depth += backlog.depth;
      const oldest = backlog.oldestAppendedAt;
      if (oldest !== undefined && (oldestAppendedAt === undefined || oldest < oldestAppendedAt)) {
        oldestAppendedAt = oldest;
      }
    }
    return { depth, oldestAppendedAt };
  }

  /** Leases nobody asked for this time: for the next call, or back to their part once the caller stops. */
  private keep(leases: Lease[], signal: AbortSignal): void {
    if (leases.length === 0) return;
    if (signal.aborted) {
      for (const lease of leases) void lease.nak(0).catch(() => undefined);
      return;
    }
    this.spare.push(...leases);
    // One listener per caller's signal (a dispatcher keeps one for its whole run), not one per call.
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener('abort', () => this.handBackSpare(), { once: true });
  }

  private handBackSpare(): void {
    for (const lease of this.spare.splice(0)) void lease.nak(0).catch(() => undefined);
  }
}

/** Resolves once any promise fulfils with a non-empty list, or all fulfilled empty; rejects on the first rejection. */
function firstNonEmpty(pending: readonly Promise<Lease[]>[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let left = pending.length;
    for (const promise of pending) {
      promise.then((leases) => {
        if (leases.length > 0 || --left === 0) resolve();
      }, reject);
    }
  });
}
