/**
 * Sums a server's garbage collection over measured windows: reads the `gc-window` lines a bench run logged
 * (bench/scenarios/routing-split.ts) and each server's `--trace-gc-nvp` trace (bench/profiles/gc-PID.log),
 * and prints per shape the scavenges and full collections, their pause per 1,000 events and the bytes
 * promoted per event. Round 1 is left out: its window includes the warm-up.
 *
 *   BENCH_SERVER_NODE_FLAGS=--trace-gc-nvp npm run bench -- --scenario S4s --backend memory --trace-gc \
 *     2> /tmp/s4s.log
 *   node --import tsx bench/gc-windows.ts /tmp/s4s.log bench/profiles
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Gc {
  readonly atMs: number;
  readonly kind: string;
  readonly pauseMs: number;
  readonly promoted: number;
}

function gcLines(file: string): Gc[] {
  const out: Gc[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: pause=/.exec(line);
    if (!at) continue;
    const field = (name: string): string | undefined => new RegExp(`\\b${name}=([^ ]+)`).exec(line)?.[1];
    out.push({
      atMs: Number(at[1]),
      kind: field('gc') ?? '?',
      pauseMs: Number(field('pause') ?? 0),
      promoted: Number(field('promoted') ?? 0),
    });
  }
  return out;
}

const [benchLog, logDir] = process.argv.slice(2);
if (benchLog === undefined || logDir === undefined) {
  console.error('usage: node --import tsx bench/gc-windows.ts BENCH_STDERR GC_TRACE_DIR');
  process.exit(2);
}
const totals = new Map<string, { events: number; ms: number; byKind: Map<string, Gc[]> }>();
const traces = new Map<string, Gc[]>();
for (const line of readFileSync(benchLog, 'utf8').split('\n')) {
  const m = /gc-window pid=(\d+) shape=(\S+) round=(\d+) from=(\d+) to=(\d+) events=(\d+)/.exec(line);
  if (!m || m[3] === '1') continue;
  const [, pid, shape, , from, to, events] = m as unknown as string[];
  let trace = traces.get(pid!);
  if (trace === undefined) {
    trace = gcLines(join(logDir, `gc-${pid}.log`));
    traces.set(pid!, trace);
  }
  const total = totals.get(shape!) ?? { events: 0, ms: 0, byKind: new Map<string, Gc[]>() };
  total.events += Number(events);
  total.ms += Number(to) - Number(from);
  for (const gc of trace.filter((g) => g.atMs >= Number(from) && g.atMs <= Number(to))) {
    total.byKind.set(gc.kind, [...(total.byKind.get(gc.kind) ?? []), gc]);
  }
  totals.set(shape!, total);
}
for (const [shape, t] of totals) {
  const parts = [...t.byKind].map(([kind, gcs]) => {
    const pause = gcs.reduce((s, g) => s + g.pauseMs, 0);
    const promoted = gcs.reduce((s, g) => s + g.promoted, 0);
    return `${kind}: ${gcs.length}, pause ${((pause / t.events) * 1000).toFixed(1)} ms/1k events (${(pause / gcs.length).toFixed(1)} ms each), promoted ${(promoted / t.events).toFixed(0)} B/event`;
  });
  const gcMs = [...t.byKind.values()].flat().reduce((s, g) => s + g.pauseMs, 0);
  console.log(
    `${shape.padEnd(8)} ${t.events} events in ${(t.ms / 1000).toFixed(1)} s; GC pauses ${((gcMs / t.ms) * 100).toFixed(1)}% of the time; ${parts.join('; ')}`,
  );
}
