/**
 * CPU time per event of the bare relay and of cemesh (memory backend, one trigger) at the same fixed rate,
 * alternating runs so that both see the same neighbours: the measure to judge an optimisation by on a
 * shared machine, where throughput swings with other people's work.
 *
 *   node --import tsx bench/cpu-compare.ts [--rate 1000] [--seconds 6] [--rounds 3] [--cpu-prof]
 *
 * Prints, per run, main-thread and other-thread (GC and compiler workers) µs per event, then min and median.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './loadgen.js';
import { BENCH_DIST, buildServer } from './build.js';
import { brokerResource, startMesh, triggerResource } from './mesh.js';
import { cpuSecondsOf, threadCpuOf } from './proc.js';
import { forkRpc, type RpcChild } from './rpc.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string' },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    'cpu-prof': { type: 'boolean' },
  },
});
const rate = Number(values.rate ?? 1000);
const seconds = Number(values.seconds ?? 6);
const rounds = Number(values.rounds ?? 3);
const cpuProfDir = values['cpu-prof'] ? fileURLToPath(new URL('./profiles', import.meta.url)) : undefined;

// The built server, as `npm run bench` runs it (see bench/build.ts).
const serverBin = await buildServer((line) => console.log(line));
const loadgen = await forkRpc('loadgen', { compiledDir: BENCH_DIST });
const subscribers = await forkRpc('subscriber', { compiledDir: BENCH_DIST });
const subscriber = await subscribers.call<{ name: string; url: string }>('listen', {});
const seen: Record<string, number[]> = { relay: [], mesh: [] };

async function measure(label: 'relay' | 'mesh', pid: number, target: string): Promise<void> {
  const plan = { target, mode: 'rate', rate, concurrency: 32, types: 1 };
  await loadgen.call('run', { ...plan, durationMs: 2000, idPrefix: 'warm' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpu = cpuSecondsOf(pid);
  const threads = threadCpuOf(pid);
  const load = await loadgen.call<LoadResult>('run', { ...plan, durationMs: seconds * 1000, idPrefix: 'm' });
  // Let the last deliveries finish inside the measured span.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const perEvent = (s: number): number => (s * 1e6) / load.accepted;
  const us = perEvent(cpuSecondsOf(pid) - cpu);
  const after = threadCpuOf(pid);
  seen[label]!.push(us);
  const split = Object.entries(after)
    .map(([name, s]) => `${name} ${perEvent(s - (threads[name] ?? 0)).toFixed(0)}`)
    .join(', ');
  console.log(`${label.padEnd(5)} ${us.toFixed(0)} us/event at ${rate}/s (${split})`);
}

async function withRelay(): Promise<void> {
  const relay: RpcChild = await forkRpc('relay', { cpuProfDir, compiledDir: BENCH_DIST });
  try {
    const { url } = await relay.call<{ url: string }>('start', { target: `${subscriber.url}/` });
    await measure('relay', relay.pid, url);
  } finally {
    await relay.close();
  }
}

async function withMesh(): Promise<void> {
  const mesh = await startMesh({ backend: 'memory', serverBin, ...(cpuProfDir ? { cpuProfDir } : {}) });
  try {
    await mesh.apply([
      brokerResource('b'),
      triggerResource('t', { broker: 'b', subscriber: `${subscriber.url}/` }),
    ]);
    await mesh.waitReady('Trigger', ['t']);
    await measure('mesh', mesh.pid, mesh.brokerUrl('b'));
  } finally {
    await mesh.stop();
  }
}

try {
  for (let i = 0; i < rounds; i++) {
    await withRelay();
    await withMesh();
  }
  for (const [label, values] of Object.entries(seen)) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(5)} min ${sorted[0]!.toFixed(0)} median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} us/event`,
    );
  }
} finally {
  await loadgen.close();
  await subscribers.close();
}
