// Store benchmarks: append + lease + ack throughput of 1 KiB events, memory vs embedded in the same run, and
// the embedded group-commit measurements behind docs/decisions/embedded-group-commit.md.
// Standalone: node --import tsx bench/store.ts [events]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import { openEmbedded } from '../src/backends/embedded/index.js';
import type { CommitStats } from '../src/backends/embedded/group-commit.js';
import { createMemoryBackend } from '../src/store/memory/index.js';
import type { Backend, BrokerStore } from '../src/store/contracts.js';

export interface ThroughputResult {
  readonly backend: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
}

export interface GroupCommitResult {
  readonly groupCommit: boolean;
  readonly appenders: number;
  readonly events: number;
  readonly eventsPerSec: number;
  readonly commits: number;
  readonly rowsPerCommit: number;
  /** Longest time one commit blocked the event loop. */
  readonly maxCommitMs: number;
  /** Event-loop delay during the burst (perf_hooks.monitorEventLoopDelay). */
  readonly loopDelayP50Ms: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

export interface StoreBenchResult {
  readonly memory: ThroughputResult;
  readonly embedded: ThroughputResult;
  /** memory events/s divided by embedded events/s. */
  readonly ratio: number;
  readonly groupCommit: readonly GroupCommitResult[];
}

const ref = { namespace: 'bench', name: 'default' };
const payload = new Uint8Array(1024).fill(120);

function event(i: number): CloudEvent {
  return {
    attributes: {
      specversion: '1.0',
      id: `e-${i}`,
      source: '/bench',
      type: 'dev.cemesh.bench',
      datacontenttype: 'application/octet-stream',
    },
    data: payload,
  };
}

/** `appenders` concurrent producers append single events (as ingress requests do) until `events` are stored. */
async function produce(broker: BrokerStore, events: number, appenders: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (next < events) await broker.append([{ event: event(next++), queues: ['q'] }]);
    }),
  );
}

/** One consumer leases up to 256 at a time and acks each, until `events` were acked. */
async function consume(broker: BrokerStore, events: number): Promise<void> {
  const signal = new AbortController().signal;
  let acked = 0;
  while (acked < events) {
    const leases = await broker.queue('q').lease({ max: 256, leaseMs: 60_000, signal });
    await Promise.all(leases.map((l) => l.ack()));
    acked += leases.length;
  }
}

async function throughput(
  name: string,
  backend: Backend,
  events: number,
  warmupEvents: number,
): Promise<ThroughputResult> {
  // Warm up (JIT, heap, prepared statements) on another broker, so the run measures the steady state.
  const warmup = await backend.broker({ namespace: 'bench', name: 'warmup' });
  await Promise.all([produce(warmup, warmupEvents, 64), consume(warmup, warmupEvents)]);
  await backend.dropBroker(warmup.ref);
  const broker = await backend.broker(ref);
  const started = performance.now();
  await Promise.all([produce(broker, events, 64), consume(broker, events)]);
  const seconds = (performance.now() - started) / 1000;
  return { backend: name, events, seconds, eventsPerSec: Math.round(events / seconds) };
}

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cemesh-bench-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

export async function runGroupCommitBench(
  groupCommit: boolean,
  events: number,
  appenders = 64,
): Promise<GroupCommitResult> {
  return withDir(async (dir) => {
    const commits: CommitStats[] = [];
    const { backend, resources } = await openEmbedded({
      dataDir: dir,
      groupCommit,
      onCommit: (s) => commits.push(s),
    });
    const broker = await backend.broker(ref);
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const started = performance.now();
    await produce(broker, events, appenders);
    const seconds = (performance.now() - started) / 1000;
    histogram.disable();
    await backend.close();
    await resources.close();
    const rows = commits.reduce((sum, c) => sum + c.rows, 0);
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return {
      groupCommit,
      appenders,
      events,
      eventsPerSec: Math.round(events / seconds),
      commits: commits.length,
      rowsPerCommit: Math.round((rows / Math.max(1, commits.length)) * 10) / 10,
      maxCommitMs: Math.round(Math.max(0, ...commits.map((c) => c.ms)) * 100) / 100,
      loopDelayP50Ms: ms(histogram.percentile(50)),
      loopDelayP99Ms: ms(histogram.percentile(99)),
      loopDelayMaxMs: ms(histogram.max),
    };
  });
}

/**
 * `events` are measured per backend after a warm-up (memory: as many again, embedded: a fifth); the memory
 * run uses 4x as many events, since it is over in a fraction of a second otherwise.
 */
export async function runStoreBench(events = 30_000): Promise<StoreBenchResult> {
  const memoryBackend = createMemoryBackend();
  const memory = await throughput('memory', memoryBackend, events * 4, events * 4);
  await memoryBackend.close();
  const embedded = await withDir(async (dir) => {
    const { backend, resources } = await openEmbedded({ dataDir: dir });
    const result = await throughput('embedded', backend, events, Math.ceil(events / 5));
    await backend.close();
    await resources.close();
    return result;
  });
  const groupCommit = [
    await runGroupCommitBench(false, Math.min(events, 4_000)),
    await runGroupCommitBench(true, events),
  ];
  return {
    memory,
    embedded,
    ratio: Math.round((memory.eventsPerSec / embedded.eventsPerSec) * 10) / 10,
    groupCommit,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runStoreBench(Number(process.argv[2] ?? 30_000));
  console.log('append+lease+ack, 1 KiB events, 64 appenders, one consumer leasing 256 at a time:');
  for (const r of [result.memory, result.embedded]) {
    console.log(
      `  ${r.backend.padEnd(9)} ${String(r.eventsPerSec).padStart(9)} events/s  (${r.events} events in ${r.seconds.toFixed(2)} s)`,
    );
  }
  console.log(`  ratio memory/embedded: ${result.ratio}`);
  console.log('embedded append only, 64 concurrent appenders of single 1 KiB events:');
  for (const g of result.groupCommit) {
    console.log(
      `  group commit ${g.groupCommit ? 'on ' : 'off'}: ${g.eventsPerSec} events/s, ${g.commits} commits ` +
        `(${g.rowsPerCommit} rows each), longest commit ${g.maxCommitMs} ms, ` +
        `loop delay p50 ${g.loopDelayP50Ms} / p99 ${g.loopDelayP99Ms} / max ${g.loopDelayMaxMs} ms`,
    );
  }
}
