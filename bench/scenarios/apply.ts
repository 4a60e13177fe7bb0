/**
 * SA applying triggers (issue 20's goal: 10,000 in under 2 s): `cemesh apply -f` of a manifest with a Broker
 * and 10,000 Triggers, the CLI and the server each a process of their own as users run them (the built bin
 * when the bench built one). Reports when `apply` returned, when every trigger was Ready, and the CPU the
 * server and the CLI spent. There is no baseline to pair with: the goal is a time. One run moves by 20-30%
 * on these two shared cores (1.9-2.5 s for the same tree), so the scenario runs SA_RUNS times, each with a
 * fresh server, and the figure judged is the median run; every run is in the notes.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import type { BackendName, MeshProcess } from '../mesh.js';
import { withMesh, type Bench, type ScenarioResult } from '../kit.js';
import { cpuSecondsOf } from '../proc.js';

const run = promisify(execFile);

export const APPLY_TRIGGERS = 10_000;
export const SA_RUNS = 5;

/** The manifest as a user's generator would write it: plain YAML, one document per object. */
export function applyManifest(triggers: number): string {
  const documents = [
    'apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: default\n  namespace: default\n',
  ];
  for (let i = 0; i < triggers; i++) {
    documents.push(
      `apiVersion: eventing.knative.dev/v1\nkind: Trigger\nmetadata:\n  name: t${i}\n  namespace: default\n` +
        `spec:\n  broker: default\n  filters:\n    - exact:\n        type: bench.type.${i}\n` +
        '  subscriber:\n    uri: http://127.0.0.1:9/\n',
    );
  }
  return documents.join('---\n');
}

interface ApplyRun {
  readonly readyS: number;
  readonly returnedS: number;
  readonly serverCpuS: number;
  readonly cliCpuS: number;
}

export async function runApply(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  const runs: ApplyRun[] = [];
  for (let i = 0; i < SA_RUNS; i++) runs.push(await applyOnce(bench, backend));
  const byReady = [...runs].sort((a, b) => a.readyS - b.readyS);
  const median = byReady[Math.floor(byReady.length / 2)]!;
  return {
    id: 'SA',
    name: `apply -f of ${APPLY_TRIGGERS.toLocaleString('en-US')} triggers, separate CLI`,
    backend,
    extra: {
      readyS: round(median.readyS),
      returnedS: round(median.returnedS),
      serverCpuS: round(median.serverCpuS),
      cliCpuS: round(median.cliCpuS),
      runs: runs.length,
    },
    notes: [
      `${APPLY_TRIGGERS + 1} created in each of ${runs.length} runs; the median run: apply returned after ` +
        `${median.returnedS.toFixed(2)} s, all Ready after ${median.readyS.toFixed(2)} s`,
      `all Ready after, in run order: ${runs.map((r) => r.readyS.toFixed(2)).join(', ')} s`,
    ],
  };
}

async function applyOnce(bench: Bench, backend: BackendName): Promise<ApplyRun> {
  return withMesh(bench, { backend }, async (mesh) => {
    const file = join(mesh.dataDir, 'triggers.yaml');
    await writeFile(file, applyManifest(APPLY_TRIGGERS));
    const cli = bench.serverBin ? [bench.serverBin] : ['--import', 'tsx', 'src/server/bin.ts'];
    const serverCpu = cpuSecondsOf(mesh.pid);
    const started = performance.now();
    const applied = run(
      process.execPath,
      [...cli, 'apply', '-f', file, '--server', mesh.adminUrl, '--token', mesh.token],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const cliPid = applied.child.pid ?? -1;
    let cliCpu = 0;
    const sampler = setInterval(() => {
      const seconds = cpuSecondsOf(cliPid);
      if (Number.isFinite(seconds)) cliCpu = seconds;
    }, 20);
    const { stdout } = await applied.finally(() => clearInterval(sampler));
    const returnedS = (performance.now() - started) / 1000;
    const created = stdout.split('\n').filter((line) => line.endsWith(' created')).length;
    if (created !== APPLY_TRIGGERS + 1)
      throw new Error(`apply created ${created} of ${APPLY_TRIGGERS + 1} objects`);
    await allReady(mesh);
    const readyS = (performance.now() - started) / 1000;
    return { readyS, returnedS, serverCpuS: cpuSecondsOf(mesh.pid) - serverCpu, cliCpuS: cliCpu };
  });
}

/**
 * Waits until every trigger is Ready, through one watch of the collection (its first lines are the objects as
 * they are, then each change): listing 10,000 triggers every few milliseconds would load the server it times.
 */
export async function allReady(mesh: Pick<MeshProcess, 'adminUrl' | 'token'>): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 120_000);
  const ready = new Set<string>();
  try {
    const response = await request(
      `${mesh.adminUrl}/apis/eventing.knative.dev/v1/namespaces/default/triggers?watch=true`,
      { headers: { authorization: `Bearer ${mesh.token}` }, signal: controller.signal },
    );
    let buffered = '';
    for await (const chunk of response.body) {
      buffered += (chunk as Buffer).toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as WatchedTrigger;
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        const { name } = line.object.metadata;
        if (line.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
          ready.add(name);
        else ready.delete(name);
      }
      if (ready.size >= APPLY_TRIGGERS) return;
    }
    throw new Error(`the watch ended with ${ready.size} of ${APPLY_TRIGGERS} triggers Ready`);
  } catch (error) {
    if (controller.signal.aborted)
      throw new Error(`${ready.size} of ${APPLY_TRIGGERS} triggers Ready after 120 s`);
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

interface WatchedTrigger {
  readonly object: {
    readonly metadata: { readonly name: string };
    readonly status?: { readonly conditions?: readonly { type: string; status: string }[] };
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
