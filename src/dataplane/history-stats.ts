/**
 * Delivery statistics of one broker, read from the delivery history: what the console's overview draws
 * (event rate, backlog, failures, per-trigger health). Pure: it reads retained events and a clock value.
 *
 * Rates and success counts cover the events accepted within the window; the backlog and the last error
 * cover every event the history still holds (its newest 10,000), because a backlog or an error older than
 * the window is still what an operator needs to see.
 */
import type { RetainedEvent } from './history.js';

export interface LastError {
  readonly at: string;
  readonly source: string;
  readonly id: string;
  /** `HTTP 503`, or the network error. */
  readonly result: string;
}

export interface TriggerStats {
  /** Events routed to the trigger within the window. */
  readonly matched: number;
  readonly delivered: number;
  /** Dead-lettered or undeliverable. */
  readonly failed: number;
  /** Waiting for delivery, among every retained event. */
  readonly pending: number;
  readonly deliveredPerSecond: number;
  /** delivered / (delivered + failed) within the window; null when nothing settled. */
  readonly successRate: number | null;
  /** From acceptance to the delivering attempt's answer, over delivered events within the window. */
  readonly latencyMs: { readonly p50: number; readonly p95: number } | null;
  readonly lastError: LastError | null;
}

export interface BrokerStats {
  readonly kind: 'BrokerStats';
  readonly namespace: string;
  readonly broker: string;
  readonly windowSeconds: number;
  readonly accepted: number;
  readonly acceptedPerSecond: number;
  /** Events accepted within the window per `source` (applications send with source = their name). */
  readonly sources: Readonly<Record<string, number>>;
  /** Deliveries waiting, all triggers together. */
  readonly backlog: number;
  /** Failed deliveries within the window, all triggers together. */
  readonly failed: number;
  readonly triggers: Readonly<Record<string, TriggerStats>>;
}

/** Sources counted at most; the rest are left out (a broker fed by many senders has no single picture). */
const MAX_SOURCES = 50;

interface Tally {
  matched: number;
  delivered: number;
  failed: number;
  pending: number;
  latencies: number[];
  lastError: LastError | null;
}

export function brokerStats(
  ref: { readonly namespace: string; readonly broker: string },
  events: Iterable<RetainedEvent>,
  options: { readonly nowMs: number; readonly windowSeconds: number },
): BrokerStats {
  const from = options.nowMs - options.windowSeconds * 1000;
  const tallies = new Map<string, Tally>();
  const sources: Record<string, number> = {};
  let accepted = 0;
  for (const event of events) {
    const acceptedMs = Date.parse(event.acceptedAt);
    const inWindow = acceptedMs >= from;
    if (inWindow) {
      accepted++;
      if (event.source in sources || Object.keys(sources).length < MAX_SOURCES)
        sources[event.source] = (sources[event.source] ?? 0) + 1;
    }
    for (const delivery of event.deliveries) {
      let tally = tallies.get(delivery.trigger);
      if (tally === undefined) {
        tally = { matched: 0, delivered: 0, failed: 0, pending: 0, latencies: [], lastError: null };
        tallies.set(delivery.trigger, tally);
      }
      const last = delivery.last();
      if (delivery.outcome === 'pending') tally.pending++;
      // Events come newest first, so the first failure seen is the latest (by acceptance); it stays the
      // last error even when a retry or a redelivery succeeded later, which is what explains a dip.
      const failure = tally.lastError === null ? delivery.lastFailure() : undefined;
      if (failure !== undefined) {
        tally.lastError = {
          at: new Date(failure.at).toISOString(),
          source: event.source,
          id: event.id,
          result: resultOf(failure),
        };
      }
      if (!inWindow) continue;
      tally.matched++;
      if (delivery.outcome === 'delivered') {
        tally.delivered++;
        if (last !== undefined) tally.latencies.push(last.at + last.durationMs - acceptedMs);
      } else if (delivery.outcome !== 'pending') tally.failed++;
    }
  }
  const triggers: Record<string, TriggerStats> = {};
  let backlog = 0;
  let failed = 0;
  for (const [name, tally] of tallies) {
    backlog += tally.pending;
    failed += tally.failed;
    const settled = tally.delivered + tally.failed;
    triggers[name] = {
      matched: tally.matched,
      delivered: tally.delivered,
      failed: tally.failed,
      pending: tally.pending,
      deliveredPerSecond: perSecond(tally.delivered, options.windowSeconds),
      successRate: settled === 0 ? null : tally.delivered / settled,
      latencyMs: percentiles(tally.latencies),
      lastError: tally.lastError,
    };
  }
  return {
    kind: 'BrokerStats',
    namespace: ref.namespace,
    broker: ref.broker,
    windowSeconds: options.windowSeconds,
    accepted,
    acceptedPerSecond: perSecond(accepted, options.windowSeconds),
    sources,
    backlog,
    failed,
    triggers,
  };
}

function resultOf(attempt: {
  readonly status?: number;
  readonly error?: string;
  readonly target: string;
}): string {
  const where = attempt.target === 'dead-letter' ? ' (dead-letter sink)' : '';
  return (attempt.status !== undefined ? `HTTP ${attempt.status}` : (attempt.error ?? 'no answer')) + where;
}

function perSecond(count: number, windowSeconds: number): number {
  return Math.round((count / windowSeconds) * 1000) / 1000;
}

/** Nearest-rank percentiles, rounded to 0.1 ms. */
function percentiles(values: number[]): { p50: number; p95: number } | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  const rank = (p: number): number => {
    const value = sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
    return Math.round(Math.max(0, value) * 10) / 10;
  };
  return { p50: rank(0.5), p95: rank(0.95) };
}
