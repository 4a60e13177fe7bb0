/** The results table, the goals of the "Benchmark suite" issue judged against this run, and results.json. */
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

/** Every goal of the issue that this run has the figures for. */
export function judgeGoals(bench: Bench): Goal[] {
  const goals: Goal[] = [];
  const relay = find(bench, 'S0r', '-')?.deliveredPerS;
  const s1 = (b: BackendName): number | undefined => find(bench, 'S1', b)?.deliveredPerS;
  const atLeast = (
    goal: string,
    value: number | undefined,
    base: number | undefined,
    min: number,
    to: string,
  ): void => {
    if (value === undefined || base === undefined) return;
    const r = value / base;
    goals.push({ goal, measured: `${r.toFixed(2)}x ${to}`, met: r >= min });
  };
  atLeast('S1 memory >= 0.8x S0r', s1('memory'), relay, 0.8, 'S0r');
  atLeast('S1 memory matches S0r (stretch)', s1('memory'), relay, 1.0, 'S0r');
  atLeast('S1 embedded >= 0.8x S1 memory', s1('embedded'), s1('memory'), 0.8, 'S1 memory');
  for (const [backend, limit] of [
    ['memory', 5],
    ['embedded', 10],
  ] as const) {
    const p99 = find(bench, 'S2', backend)?.latencyMs?.p99;
    if (p99 !== undefined)
      goals.push({
        goal: `S2 ${backend} p99 <= ${limit} ms at ${S2_RATE}/s`,
        measured: `${p99.toFixed(2)} ms`,
        met: p99 <= limit,
      });
  }
  for (const backend of bench.backends) {
    atLeast(
      `S4 ${backend} exact >= 0.8x S1`,
      find(bench, 'S4', backend)?.deliveredPerS,
      s1(backend),
      0.8,
      'S1',
    );
    const s5 = find(bench, 'S5', backend);
    const peak = s5?.extra?.['peakRssMb'];
    if (typeof peak === 'number')
      goals.push({
        goal: `S5 ${backend} peak RSS < 300 MB`,
        measured: `${Math.round(peak)} MB`,
        met: peak < 300,
      });
    atLeast(`S5 ${backend} drain >= 0.8x S1`, s5?.deliveredPerS, s1(backend), 0.8, 'S1');
    const s6 = find(bench, 'S6', backend)?.deliveredPerS;
    const base = s1(backend);
    if (s6 !== undefined && base !== undefined) {
      const r = s6 / base;
      goals.push({
        goal: `S6 ${backend} fast subscriber within 10% of S1`,
        measured: `${r.toFixed(2)}x S1`,
        met: r >= 0.9,
      });
    }
  }
  return goals;
}

export function renderGoals(goals: readonly Goal[]): string {
  return markdownTable(
    ['goal', 'measured', 'met'],
    goals.map((g) => [g.goal, g.measured, g.met === undefined ? '-' : g.met ? 'yes' : 'NO']),
  );
}
