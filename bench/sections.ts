/**
 * The sections other engineers own (bench/cesql.ts, bench/store.ts, bench/jetstream.ts): each one, when its
 * file exists, runs in a child process of its own (bench/section-child.ts) so its timers, connections and
 * JIT state cannot touch the scenarios, and its result is shown as a table.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdownTable } from './report.js';

export interface SectionResult {
  readonly id: string;
  readonly title: string;
  readonly result?: unknown;
  readonly error?: string;
  /** The table (or JSON) shown under the title. */
  readonly text: string;
}

/** A section that has not finished by then is stopped, so `npm run bench` stays under 10 minutes. */
const SECTION_TIMEOUT_MS = 120_000;

const titles: Record<string, string> = {
  cesql: 'CESQL evaluation (bench/cesql.ts, runCesqlBench)',
  store: 'Store append + lease + ack (bench/store.ts, runStoreBench)',
  jetstream: 'JetStream raw vs backend (bench/jetstream.ts, runJetStreamBench)',
};

export async function runSections(
  ids: readonly string[],
  log: (line: string) => void,
): Promise<SectionResult[]> {
  const results: SectionResult[] = [];
  for (const id of ids) {
    const file = fileURLToPath(new URL(`./${id}.ts`, import.meta.url));
    if (!existsSync(file)) {
      log(`section ${id}: bench/${id}.ts does not exist yet, skipped`);
      continue;
    }
    log(`section ${id}: starting`);
    const outcome = await runChild(id);
    const title = titles[id] ?? id;
    if (outcome.error !== undefined) {
      log(`section ${id}: FAILED ${outcome.error}`);
      results.push({ id, title, error: outcome.error, text: `failed: ${outcome.error}` });
    } else {
      log(`section ${id}: done`);
      results.push({ id, title, result: outcome.result, text: render(outcome.result, outcome.stdout) });
    }
  }
  return results;
}

function runChild(id: string): Promise<{ result?: unknown; error?: string; stdout: string }> {
  const child = fork(fileURLToPath(new URL('./section-child.ts', import.meta.url)), [id], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  return new Promise((resolve) => {
    let settled: { result?: unknown; error?: string } | undefined;
    const timer = setTimeout(() => {
      settled ??= { error: `did not finish in ${SECTION_TIMEOUT_MS / 1000} s` };
      child.kill('SIGKILL');
    }, SECTION_TIMEOUT_MS);
    child.on('message', (message: { result?: unknown; error?: string }) => {
      settled ??= message;
      // A section that leaves a handle open must not hold the run.
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ ...(settled ?? { error: `exited with ${String(code)} without a result` }), stdout });
    });
  });
}

/** An array of flat objects (or `{ rows: [...] }`) becomes a table; anything else is shown as JSON. */
function render(result: unknown, stdout: string): string {
  const rows = Array.isArray(result)
    ? result
    : typeof result === 'object' && result !== null && Array.isArray((result as { rows?: unknown }).rows)
      ? (result as { rows: unknown[] }).rows
      : undefined;
  if (rows && rows.every((r) => typeof r === 'object' && r !== null)) {
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
    const cell = (v: unknown): string =>
      typeof v === 'number'
        ? String(Math.round(v * 100) / 100)
        : typeof v === 'string'
          ? v
          : (JSON.stringify(v) ?? '');
    return markdownTable(
      keys,
      rows.map((r) => keys.map((k) => cell((r as Record<string, unknown>)[k]))),
    );
  }
  if (result === undefined) return stdout.trim();
  return JSON.stringify(result, null, 2);
}
