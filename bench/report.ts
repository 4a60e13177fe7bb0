/** The results table, the goals judged against this run (issue 20 and the first round's floor), and results.json. */
import { find, type Bench, type ScenarioResult } from './kit.js';
import type { BackendName } from './mesh.js';
import { S2_RATE } from './scenarios/latency.js';

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

const fmtRate = (v: number | undefined): string =>
  v === undefined ? '-' : Math.round(v).toLocaleString('en-US');
const fmtMs = (v: number | undefined): string =>
  v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1);
const fmtRatio = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(2)}x`);

export function renderTable(results: readonly ScenarioResult[]): string {
  const header = [
    'scenario',
    'backend',
    'delivered/s',
    'accepted/s',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'ratio',
    'notes',
  ];
  const rows = results.map((r) => {
    if (r.skipped !== undefined)
      return [`${r.id} ${r.name}`, r.backend, '-', '-', '-', '-', '-', '-', `skipped: ${r.skipped}`];
    const extra = Object.entries(r.extra ?? {}).map(
      ([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`,
    );
    return [
      `${r.id} ${r.name}`,
      r.backend,
      fmtRate(r.deliveredPerS),
      fmtRate(r.acceptedPerS),
      fmtMs(r.latencyMs?.p50),
      fmtMs(r.latencyMs?.p99),
      fmtMs(r.latencyMs?.p999),
      r.ratio ? `${fmtRatio(r.ratio.value)} ${r.ratio.to}` : '-',
      [...extra, ...(r.notes ?? [])].join('; '),
    ];
  });
  return markdownTable(header, rows);
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Every goal that this run has the figures for: those of the performance issue of this round (issue 20: embedded
 * at 0.9x memory and p99 under 5 ms at 1,000 ev/s, routing scale at 0.9x, JetStream at 0.5x memory, peak RSS under
 * 300 MB for a 100k backlog, 10,000 triggers applied in under 2 s), and the floor of the first round (memory at
 * 0.8x the bare relay). Ratios come from paired measurements (each row's ratio to the baseline that ran beside
 * it); one backend against another is S1m's pair (the backend in turns with memory), or else their ratios to S0r
 * divided.
 */
export function judgeGoals(bench: Bench): Goal[] {
  const goals: Goal[] = [];
  const ratioOf = (id: string, backend: BackendName): number | undefined =>
    find(bench, id, backend)?.ratio?.value;
  const atLeast = (goal: string, r: number | undefined, min: number, to: string): void => {
    if (r !== undefined) goals.push({ goal, measured: `${r.toFixed(2)}x ${to}`, met: r >= min });
  };
  const memory = ratioOf('S1', 'memory');
  atLeast('S1 memory >= 0.8x S0r', memory, 0.8, 'S0r');
  for (const [backend, min] of [
    ['embedded', 0.9],
    ['jetstream', 0.5],
  ] as const) {
    // S1m pairs the backend with memory directly; without it, the two ratios to S0r are divided.
    const direct = ratioOf('S1m', backend);
    const ratio = ratioOf('S1', backend);
    if (direct !== undefined)
      atLeast(`S1 ${backend} >= ${min}x S1 memory`, direct, min, 'S1 memory (paired)');
    else if (ratio !== undefined && memory !== undefined)
      atLeast(`S1 ${backend} >= ${min}x S1 memory`, ratio / memory, min, 'S1 memory (S0r-normalised)');
  }
  for (const backend of ['memory', 'embedded'] as const) {
    const p99 = find(bench, 'S2', backend)?.latencyMs?.p99;
    if (p99 !== undefined)
      goals.push({
        goal: `S2 ${backend} p99 < 5 ms at ${S2_RATE}/s`,
        measured: `${p99.toFixed(2)} ms`,
        met: p99 < 5,
      });
  }
  for (const backend of bench.backends) {
    for (const row of bench.results.filter((r) => r.id === 'S4' && r.backend === backend && r.ratio))
      atLeast(`${row.name} (${backend}) >= 0.9x S1`, row.ratio?.value, 0.9, 'S1');
    const readyS = find(bench, 'SA', backend)?.extra?.['readyS'];
    if (typeof readyS === 'number')
      goals.push({
        goal: `SA ${backend}: apply -f of 10,000 triggers, all Ready in < 2 s`,
        measured: `${readyS.toFixed(1)} s`,
        met: readyS < 2,
      });
    const s5 = find(bench, 'S5', backend);
    const peak = s5?.extra?.['peakRssMb'];
    if (typeof peak === 'number')
      goals.push({
        goal: `S5 ${backend} peak RSS < 300 MB`,
        measured: `${Math.round(peak)} MB`,
        met: peak < 300,
      });
    atLeast(`S5 ${backend} drain >= 0.8x S1`, s5?.ratio?.value, 0.8, 'S1');
    atLeast(`S6 ${backend} fast subscriber within 10% of S1`, ratioOf('S6', backend), 0.9, 'S1');
  }
  return goals;
}

export function renderGoals(goals: readonly Goal[]): string {
  return markdownTable(
    ['goal', 'measured', 'met'],
    goals.map((g) => [g.goal, g.measured, g.met === undefined ? '-' : g.met ? 'yes' : 'NO']),
  );
}
