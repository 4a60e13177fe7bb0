/**
 * What every scenario shares: the long-lived load generator and subscriber processes, progress lines, and
 * the one measurement they all make (drive load, wait for the deliveries, turn times into rates).
 */
import type { LoadPlan, LoadProgress, LoadResult } from './loadgen.js';
import type { BackendName, MeshProcess, MeshStartOptions } from './mesh.js';
import { startMesh } from './mesh.js';
import { cpuSecondsOf } from './proc.js';
import type { RpcChild } from './rpc.js';
import type { Percentiles } from './stats.js';
import type { ListenOptions, SubscriberStats } from './subscriber.js';

export interface BenchOptions {
  readonly scenarios: readonly string[] | undefined;
  /** Overrides every measured window, in seconds. */
  readonly durationS: number | undefined;
  readonly backends: readonly BackendName[] | undefined;
  readonly json: boolean;
  /** Requests in flight for the open-throttle scenarios. */
  readonly concurrency: number;
  /** Where servers write CPU profiles (--cpu-prof), or undefined. */
  readonly cpuProfDir: string | undefined;
  /** Where servers write their GC trace (--trace-gc), or undefined. */
  readonly gcTraceDir: string | undefined;
  /** Run servers from source through tsx instead of building dist/ first. */
  readonly tsx: boolean;
}

export interface ScenarioResult {
  /** S0, S0r, S1 ... */
  readonly id: string;
  readonly name: string;
  readonly backend: BackendName | '-';
  /** Delivered events (or deliveries) per second, sustained. */
  readonly deliveredPerS?: number;
  /** Events accepted by the first hop per second, over the load window. */
  readonly acceptedPerS?: number;
  readonly latencyMs?: Percentiles;
  /** The figure the scenario is judged by, as a ratio to a baseline of the same run. */
  readonly ratio?: { readonly value: number; readonly to: string };
  readonly extra?: Readonly<Record<string, number | string>>;
  readonly notes?: readonly string[];
  readonly skipped?: string;
}

export interface Bench {
  readonly options: BenchOptions;
  readonly loadgen: RpcChild;
  readonly subscribers: RpcChild;
  readonly results: ScenarioResult[];
  /** The backends this run measures, jetstream only when it was found working. */
  readonly backends: readonly BackendName[];
  /** The built server bin, or undefined to run from source. */
  readonly serverBin: string | undefined;
  /** The compiled bench children (relay, load generator, subscribers), beside the built server; undefined with --tsx. */
  readonly benchDist: string | undefined;
  log(line: string): void;
}

/** The window of a scenario in ms: --duration when given, else the scenario's default. */
export function windowMs(bench: Bench, defaultS: number): number {
  return (bench.options.durationS ?? defaultS) * 1000;
}

export function find(bench: Bench, id: string, backend: BackendName | '-'): ScenarioResult | undefined {
  return bench.results.find((r) => r.id === id && r.backend === backend && r.skipped === undefined);
}

export async function listen(
  bench: Bench,
  options: ListenOptions = {},
): Promise<{ name: string; url: string }> {
  return bench.subscribers.call('listen', options);
}

export async function subscriberStats(bench: Bench, name: string): Promise<SubscriberStats> {
  return bench.subscribers.call('stats', { name });
}

export async function closeSubscriber(bench: Bench, name: string): Promise<void> {
  await bench.subscribers.call('close', { name });
}

export async function withMesh<T>(
  bench: Bench,
  options: Omit<MeshStartOptions, 'cpuProfDir' | 'gcTraceDir'>,
  use: (mesh: MeshProcess) => Promise<T>,
): Promise<T> {
  const mesh = await startMesh({
    ...options,
    ...(bench.options.cpuProfDir ? { cpuProfDir: bench.options.cpuProfDir } : {}),
    ...(bench.options.gcTraceDir ? { gcTraceDir: bench.options.gcTraceDir } : {}),
    ...(bench.serverBin ? { serverBin: bench.serverBin } : {}),
  });
  try {
    return await use(mesh);
  } finally {
    await mesh.stop();
  }
}

export interface FlowSpec {
  readonly label: string;
  readonly plan: LoadPlan;
  /** Subscriber servers whose deliveries count, and how many deliveries each accepted event makes in total. */
  readonly subscribers: readonly string[];
  readonly fanout: number;
  /** Stop waiting when deliveries have not moved for this long. */
  readonly stallMs?: number;
  /** Count only these servers towards completion (S6: the fast one); defaults to all. */
  readonly complete?: readonly string[];
  /** The process (mesh or relay) whose CPU time per accepted event is reported. */
  readonly cpuPid?: number;
  /** A load of this length first, whose deliveries are awaited and then forgotten (JIT, connections). */
  readonly warmupMs?: number;
}

export interface Flow {
  readonly load: LoadResult;
  readonly delivered: number;
  readonly expected: number;
  readonly deliveredPerS: number;
  readonly acceptedPerS: number;
  readonly latencyMs: Percentiles | undefined;
  readonly stats: Readonly<Record<string, SubscriberStats>>;
  readonly complete: boolean;
  /** CPU time of `cpuPid` from the first send to the last delivery, per accepted event, in µs. */
  readonly cpuUsPerEvent: number | undefined;
}

/** The default warm-up before every measured window. */
export const WARMUP_MS = 2000;

/**
 * Drives the load, then waits until every accepted event has reached the subscribers. Throughput is
 * sustained: deliveries divided by the time from the first send until the last of them arrived.
 */
export async function measureFlow(bench: Bench, spec: FlowSpec): Promise<Flow> {
  const counted = spec.complete ?? spec.subscribers;
  const warmupMs = spec.warmupMs ?? WARMUP_MS;
  // Every window counts from zero (a paired measurement runs several windows on the same subscribers).
  const reset = async (): Promise<void> => {
    for (const name of spec.subscribers) await bench.subscribers.call('reset', { name });
  };
  if (warmupMs > 0) {
    await reset();
    await warmUp(bench, spec, counted, warmupMs);
  }
  await reset();
  const cpuBefore = spec.cpuPid === undefined ? NaN : cpuSecondsOf(spec.cpuPid);
  const stopTicker = ticker(bench, spec.label, counted);
  let load: LoadResult;
  try {
    load = await bench.loadgen.call<LoadResult>('run', spec.plan);
  } finally {
    stopTicker();
  }
  const expected = load.accepted * (spec.complete ? spec.complete.length : spec.fanout);
  const delivered = await waitForDeliveries(bench, spec.label, counted, expected, spec.stallMs ?? 15_000);
  const cpuUs = spec.cpuPid === undefined ? NaN : (cpuSecondsOf(spec.cpuPid) - cpuBefore) * 1e6;
  const stats: Record<string, SubscriberStats> = {};
  for (const name of spec.subscribers) stats[name] = await subscriberStats(bench, name);
  const lastAt = Math.max(...counted.map((n) => stats[n]?.lastAt ?? load.endedAt));
  const first = stats[spec.subscribers[0]!];
  return {
    load,
    delivered,
    expected,
    deliveredPerS: delivered / ((lastAt - load.startedAt) / 1000),
    acceptedPerS: load.accepted / ((load.endedAt - load.startedAt) / 1000),
    latencyMs: first?.latency,
    stats,
    complete: delivered >= expected,
    cpuUsPerEvent: Number.isFinite(cpuUs) && load.accepted > 0 ? cpuUs / load.accepted : undefined,
  };
}

async function warmUp(
  bench: Bench,
  spec: FlowSpec,
  counted: readonly string[],
  warmupMs: number,
): Promise<void> {
  // A count-mode load (fan-out) warms up with a quarter of its count, the others for `warmupMs`.
  const plan =
    spec.plan.mode === 'count'
      ? { ...spec.plan, idPrefix: `${spec.plan.idPrefix}-warm`, count: Math.ceil((spec.plan.count ?? 0) / 4) }
      : { ...spec.plan, idPrefix: `${spec.plan.idPrefix}-warm`, durationMs: warmupMs };
  const load = await bench.loadgen.call<LoadResult>('run', plan);
  const expected = load.accepted * (spec.complete ? spec.complete.length : spec.fanout);
  await waitForDeliveries(bench, `${spec.label} warm-up`, counted, expected, 10_000);
}

/** Polls the subscribers until `expected` deliveries arrived or nothing moved for `stallMs`. */
export async function waitForDeliveries(
  bench: Bench,
  label: string,
  names: readonly string[],
  expected: number,
  stallMs: number,
): Promise<number> {
  let last = -1;
  let movedAt = Date.now();
  let reportedAt = Date.now();
  for (;;) {
    const counts = await bench.subscribers.call<Record<string, number>>('counts');
    const total = names.reduce((sum, n) => sum + (counts[n] ?? 0), 0);
    if (total >= expected) return total;
    if (total !== last) {
      last = total;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      bench.log(`  ${label}: deliveries stalled at ${total} of ${expected}`);
      return total;
    }
    if (Date.now() - reportedAt > 5000) {
      bench.log(`  ${label}: draining, ${total} of ${expected} delivered`);
      reportedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Logs load and delivery progress every few seconds while a load runs. */
function ticker(bench: Bench, label: string, names: readonly string[]): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    void Promise.all([
      bench.loadgen.call<LoadProgress>('progress'),
      bench.subscribers.call<Record<string, number>>('counts'),
    ]).then(
      ([load, counts]) => {
        const delivered = names.reduce((sum, n) => sum + (counts[n] ?? 0), 0);
        const t = Math.round((Date.now() - started) / 1000);
        bench.log(`  ${label}: ${t}s sent ${load.sent} accepted ${load.accepted} delivered ${delivered}`);
      },
      () => {},
    );
  }, 5000);
  return () => clearInterval(timer);
}

/** A short note when a flow did not complete or the load generator saw failures. */
export function flowNotes(flow: Flow): string[] {
  const notes: string[] = [];
  const connections = Object.values(flow.stats).reduce((sum, s) => sum + s.connections, 0);
  notes.push(`connections=${connections}`);
  if (!flow.complete) notes.push(`incomplete: ${flow.delivered} of ${flow.expected} delivered`);
  if (flow.load.failed > 0) notes.push(`ingress failures: ${JSON.stringify(flow.load.failures)}`);
  if (flow.load.late > 0) notes.push(`${flow.load.late} sends more than 5 ms late`);
  return notes;
}
