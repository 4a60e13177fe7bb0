/**
 * `npm run bench`: every scenario of the "Benchmark suite" issue against real `cemesh serve` processes and
 * real HTTP subscribers; prints a table and the goals, writes bench/results.json. See BENCHMARKS.md.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchOptions, ScenarioResult } from './kit.js';
import type { BackendName } from './mesh.js';
import { parseBenchOptions, USAGE } from './options.js';
import { judgeGoals, renderGoals, renderTable } from './report.js';
import { forkRpc } from './rpc.js';
import { availableBackends } from './backends.js';
import { BENCH_DIST, buildServer } from './build.js';
import { runDirect, runRelay } from './scenarios/baselines.js';
import { runApply } from './scenarios/apply.js';
import { runBacklog } from './scenarios/backlog.js';
import { runClusterScaling } from './scenarios/cluster.js';
import { runFunctions } from './scenarios/functions.js';
import { runLatency, runRelayLatency } from './scenarios/latency.js';
import { runRouting } from './scenarios/routing.js';
import { runRoutingSplit } from './scenarios/routing-split.js';
import { runSlowSubscriber } from './scenarios/slow.js';
import {
  runAgainstMemory,
  runFanoutScenario,
  runThroughput,
  runTracedThroughput,
} from './scenarios/throughput.js';
import { runSections, type SectionResult } from './sections.js';

interface Scenario {
  readonly id: string;
  readonly name: string;
  /**
   * Which backends it runs on: none (no mesh), every measured backend, or (to keep the default run under
   * ten minutes) only these unless --backend names others.
   */
  readonly backends: 'none' | 'all' | readonly BackendName[];
  /** Left out of the default run (it would take the run past ten minutes); runs when named. */
  readonly onlyWhenNamed?: true;
  run(bench: Bench, backend: BackendName): Promise<ScenarioResult | ScenarioResult[]>;
}

const scenarios: readonly Scenario[] = [
  { id: 'S0', name: 'direct (no mesh)', backends: 'none', run: (b) => runDirect(b) },
  { id: 'S0r', name: 'bare relay', backends: 'none', run: (b) => runRelay(b) },
  { id: 'S1', name: 'throughput, 1 trigger', backends: 'all', run: runThroughput },
  { id: 'S1t', name: 'throughput, 1 trigger, tracing on', backends: ['memory'], run: runTracedThroughput },
  {
    id: 'S1m',
    name: 'throughput against memory',
    backends: ['embedded', 'jetstream'],
    run: runAgainstMemory,
  },
  // S2 measures a relay beside each backend; the relay alone in one 20 s window runs when named.
  {
    id: 'S2r',
    name: 'latency, bare relay',
    backends: 'none',
    onlyWhenNamed: true,
    run: (b) => runRelayLatency(b),
  },
  { id: 'S2', name: 'latency', backends: 'all', run: runLatency },
  { id: 'S3', name: 'fan-out, 10 triggers', backends: ['memory'], run: runFanoutScenario },
  { id: 'S4', name: 'routing scale', backends: ['memory'], run: runRouting },
  {
    id: 'S4s',
    name: 'routing scale, split',
    backends: ['memory'],
    onlyWhenNamed: true,
    run: runRoutingSplit,
  },
  { id: 'S5', name: 'backlog', backends: ['memory', 'embedded', 'jetstream'], run: runBacklog },
  { id: 'S6', name: 'slow subscriber', backends: ['memory', 'embedded'], run: runSlowSubscriber },
  { id: 'SF', name: 'trivial function', backends: ['memory'], run: runFunctions },
  { id: 'SA', name: 'applying triggers', backends: ['memory', 'embedded'], run: runApply },
  {
    id: 'SC',
    name: 'jetstream cluster scaling',
    backends: ['jetstream'],
    onlyWhenNamed: true,
    run: (b) => runClusterScaling(b),
  },
];

function targetsOf(scenario: Scenario, bench: Bench): (BackendName | '-')[] {
  if (scenario.backends === 'none') return ['-'];
  if (scenario.backends === 'all' || bench.options.backends !== undefined) return [...bench.backends];
  const defaults = scenario.backends;
  return bench.backends.filter((b) => defaults.includes(b));
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  const parsed = parseBenchOptions(process.argv.slice(2), `${ROOT}bench/profiles`);
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  const options: BenchOptions = parsed;
  const started = Date.now();
  const log = (line: string): void => {
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
  };
  const selected = selectScenarios(options.scenarios);
  log(
    `cemesh bench: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; scenarios ${[...selected].join(', ')}`,
  );

  const serverBin = options.tsx ? undefined : await buildServer(log);
  const benchDist = serverBin ? BENCH_DIST : undefined;
  const [loadgen, subscribers] = await Promise.all([
    forkRpc('loadgen', { compiledDir: benchDist }),
    forkRpc('subscriber', { compiledDir: benchDist }),
  ]);
  const found = await availableBackends(options.backends, log, serverBin);
  const bench: Bench = {
    options,
    loadgen,
    subscribers,
    results: [],
    backends: found.backends,
    serverBin,
    benchDist,
    log,
  };
  let sections: SectionResult[] = [];
  try {
    for (const skipped of found.skipped) bench.results.push(skipped);
    for (const scenario of scenarios) {
      if (!selected.has(scenario.id)) continue;
      const targets = targetsOf(scenario, bench);
      for (const backend of targets) {
        const label = `${scenario.id} ${scenario.name}${backend === '-' ? '' : ` [${backend}]`}`;
        log(`${label}: starting`);
        try {
          const outcome = await scenario.run(bench, backend === '-' ? 'memory' : backend);
          for (const result of Array.isArray(outcome) ? outcome : [outcome]) {
            bench.results.push(result);
            log(`${label}: ${result.skipped !== undefined ? `skipped, ${result.skipped}` : summary(result)}`);
          }
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          bench.results.push({
            id: scenario.id,
            name: scenario.name,
            backend,
            skipped: `failed: ${message}`,
          });
          log(`${label}: FAILED ${message}`);
        }
      }
    }
    sections = await runSections(
      ['cesql', 'store', 'jetstream'].filter((id) => selected.has(id)),
      log,
    );
  } finally {
    await Promise.all([loadgen.close(), subscribers.close()]);
  }

  const goals = judgeGoals(bench);
  const output = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverageAtStart: loadavg()[0],
    },
    elapsedS: Math.round((Date.now() - started) / 1000),
    results: bench.results,
    goals,
    sections,
  };
  await writeFile(`${ROOT}bench/results.json`, `${JSON.stringify(output, null, 2)}\n`);
  if (options.json) {
    console.log(JSON.stringify(output, null, 2));
    return;
  }
  console.log(`\n${renderTable(bench.results)}\n`);
  if (goals.length > 0) console.log(`${renderGoals(goals)}\n`);
  for (const section of sections) console.log(`${section.title}\n${section.text}\n`);
  console.log(`results written to bench/results.json (${output.elapsedS} s)`);
}

/** The requested scenarios (every ratio is measured beside its baseline, so none needs another). */
function selectScenarios(requested: readonly string[] | undefined): Set<string> {
  const byDefault = scenarios.filter((s) => s.onlyWhenNamed !== true).map((s) => s.id);
  return new Set(requested ?? [...byDefault, 'cesql', 'store', 'jetstream']);
}

function summary(result: ScenarioResult): string {
  const parts: string[] = [];
  if (result.deliveredPerS !== undefined) parts.push(`${Math.round(result.deliveredPerS)} delivered/s`);
  if (result.acceptedPerS !== undefined) parts.push(`${Math.round(result.acceptedPerS)} accepted/s`);
  if (result.latencyMs)
    parts.push(`p50 ${result.latencyMs.p50.toFixed(2)} ms p99 ${result.latencyMs.p99.toFixed(2)} ms`);
  if (result.ratio) parts.push(`${result.ratio.value.toFixed(2)}x ${result.ratio.to}`);
  // A scenario judged by something else than a rate (SA: a time) says it in its notes.
  if (parts.length === 0 && result.notes !== undefined) parts.push(...result.notes);
  return parts.join(', ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
