/**
 * The load generator, a process of its own: posts 1 KiB JSON events in binary mode over keep-alive
 * connections (undici Pool: about 11k req/s on this machine's loopback; fetch manages a tenth of that).
 *
 * Modes: `open` keeps `concurrency` requests in flight for `durationMs` (each sender posts again as soon as
 * it has an answer); `count` does the same until `count` events were accepted; `rate` issues events on a
 * fixed schedule regardless of answers (open loop, so a slow mesh shows as latency, not as fewer sends).
 */
import { Pool } from 'undici';
import { eventBody, eventHeaders, eventType, now } from './events.js';
import { serveRpc } from './rpc.js';
import { Samples, type Percentiles } from './stats.js';

export interface LoadPlan {
  readonly target: string;
  /** More URLs of the same broker on other replicas: event n goes to [target, ...replicas][n mod k]. */
  readonly replicas?: readonly string[];
  readonly mode: 'open' | 'count' | 'rate';
  readonly durationMs?: number;
  readonly count?: number;
  /** Events per second in `rate` mode. */
  readonly rate?: number;
  /** Requests in flight (open, count) or connections (rate). */
  readonly concurrency: number;
  /** Spread `type` over this many distinct values (1: every event is `bench.event`). */
  readonly types: number;
  readonly idPrefix: string;
}

export interface LoadResult {
  readonly sent: number;
  readonly accepted: number;
  readonly failed: number;
  /** Non-2xx statuses and network errors, by status or error code. */
  readonly failures: Record<string, number>;
  readonly startedAt: number;
  readonly endedAt: number;
  /** Round trip of the ingress request (send to 2xx), ms. */
  readonly ingress: Percentiles | undefined;
  /** Rate mode: sends issued later than 5 ms after their slot (the generator itself could not keep up). */
  readonly late: number;
}

export interface LoadProgress {
  readonly sent: number;
  readonly accepted: number;
  readonly failed: number;
}

/** The most requests rate mode keeps in flight before it counts sends as late. */
const RATE_MAX_INFLIGHT = 2000;

const body = eventBody();
const counters = { sent: 0, accepted: 0, failed: 0 };

async function run(plan: LoadPlan): Promise<LoadResult> {
  counters.sent = counters.accepted = counters.failed = 0;
  const targets = [plan.target, ...(plan.replicas ?? [])].map((target) => {
    const url = new URL(target);
    const pool = new Pool(url.origin, {
      connections: plan.concurrency,
      pipelining: 1,
      keepAliveTimeout: 60_000,
    });
    return { pool, path: `${url.pathname}${url.search}` };
  });
  const failures: Record<string, number> = {};
  const ingress = new Samples();
  let late = 0;

  const sendOne = async (n: number): Promise<void> => {
    const sentAt = now();
    counters.sent++;
    const { pool, path } = targets[n % targets.length]!;
    try {
      const response = await pool.request({
        path,
        method: 'POST',
        headers: eventHeaders(plan.idPrefix, n, eventType(n, plan.types), sentAt),
        body,
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        counters.accepted++;
        ingress.add(now() - sentAt);
      } else {
        counters.failed++;
        const key = String(response.statusCode);
        failures[key] = (failures[key] ?? 0) + 1;
      }
    } catch (error) {
      counters.failed++;
      const key = (error as { code?: string }).code ?? 'error';
      failures[key] = (failures[key] ?? 0) + 1;
    }
  };

  const startedAt = now();
  if (plan.mode === 'rate') {
    late = await runAtRate(plan, startedAt, sendOne);
  } else {
    // Count mode stops once `count` were accepted or are in flight; its duration is only a safety cap.
    const deadline = startedAt + (plan.durationMs ?? (plan.mode === 'open' ? 10_000 : 300_000));
    const limit = plan.mode === 'count' ? (plan.count ?? 0) : Infinity;
    let next = 0;
    const sender = async (): Promise<void> => {
      while (now() < deadline && counters.sent - counters.failed < limit) {
        await sendOne(next++);
        // A refused or failing target must not turn the loop into a busy spin.
        if (counters.failed > 0 && counters.failed % 100 === 0) await new Promise((r) => setTimeout(r, 10));
      }
    };
    await Promise.all(Array.from({ length: plan.concurrency }, () => sender()));
  }
  const endedAt = now();
  await Promise.all(targets.map((t) => t.pool.close()));
  return {
    sent: counters.sent,
    accepted: counters.accepted,
    failed: counters.failed,
    failures,
    startedAt,
    endedAt,
    ingress: ingress.percentiles(),
    late,
  };
}

/** Issues event i at startedAt + i / rate; returns how many went out more than 5 ms late. */
async function runAtRate(
  plan: LoadPlan,
  startedAt: number,
  sendOne: (n: number) => Promise<void>,
): Promise<number> {
  const rate = plan.rate ?? 1000;
  const total = Math.floor((rate * (plan.durationMs ?? 20_000)) / 1000);
  const inflight = new Set<Promise<void>>();
  let next = 0;
  let late = 0;
  while (next < total) {
    const due = startedAt + (next * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, Math.floor(wait)));
    else if (wait > 0) await new Promise((resolve) => setImmediate(resolve));
    const t = now();
    while (next < total && startedAt + (next * 1000) / rate <= t) {
      if (t - (startedAt + (next * 1000) / rate) > 5) late++;
      if (inflight.size >= RATE_MAX_INFLIGHT) break;
      const p = sendOne(next++).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    if (inflight.size >= RATE_MAX_INFLIGHT) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  return late;
}

serveRpc({
  run: (plan: LoadPlan) => run(plan),
  progress: (): LoadProgress => ({ ...counters }),
});
