// Applying many triggers the way a user does: `cemesh apply -f` of one manifest with N triggers (issue 20's
// goal: 10,000 in under 2 s). One cemesh server in this process (memory backend unless named), the CLI run
// in-process against its API; reports the time until `apply` returned and until every trigger was Ready,
// then applies the same file again (every object unchanged) and times that.
// With --expose-gc it also reports the heap the applied triggers hold, per trigger, after a full GC.
// With `snapshot` as well, the heap growth is broken down by object kind (bench/heap.ts). Run through tsx, every
// closure carries the `name` property esbuild's keep-names adds (about 4.8 KB per trigger that compiled code lacks).
// Standalone: node [--expose-gc] --import tsx bench/apply.ts [triggers] [memory|embedded] [snapshot]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../test/support/cli.js';
import { heapByKind, printHeapGrowth } from './heap.js';
import { startInProcess } from './in-process.js';
import { applyManifest } from './scenarios/apply.js';

const count = Number(process.argv[2] ?? 10_000);
const backend = (process.argv[3] ?? 'memory') as 'memory' | 'embedded';

const mesh = await startInProcess('apply', { backend });
const { server, dataDir } = mesh;

const file = join(dataDir, 'triggers.yaml');
// The manifest SA applies (a Broker and `count` Triggers), so the two measures read the same file.
await writeFile(file, applyManifest(count));

async function readyCount(): Promise<number> {
  const list = (await mesh.api('GET', '/apis/eventing.knative.dev/v1/namespaces/default/triggers')) as {
    items: { status?: { conditions?: { type: string; status: string }[] } }[];
  };
  return list.items.filter((t) =>
    t.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
}

async function applyOnce(label: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runCli(['apply', '-f', file, '--server', server.adminUrl, '--token', server.token]);
  const appliedS = (performance.now() - started) / 1000;
  if (result.code !== 0) throw new Error(`apply failed: ${result.stderr.slice(0, 500)}`);
  let ready = await readyCount();
  while (ready < count) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    ready = await readyCount();
  }
  const readyS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuMsPerObject = (used.user + used.system) / 1000 / count;
  const lines = result.stdout.trim().split('\n');
  const tally = new Map<string, number>();
  for (const line of lines) {
    const word = line.split(' ').at(-1) ?? '';
    tally.set(word, (tally.get(word) ?? 0) + 1);
  }
  console.log(
    `${label}: ${count} triggers, apply returned after ${appliedS.toFixed(2)} s, all Ready after ` +
      `${readyS.toFixed(2)} s (${Math.round(count / readyS)}/s), CPU ${cpuMsPerObject.toFixed(2)} ms per trigger ` +
      `(CLI and server together); ${[...tally].map(([w, n]) => `${n} ${w}`).join(', ')}`,
  );
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapNow = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const withSnapshot = process.argv[4] === 'snapshot';
const heapBefore = heapNow();
const kindsBefore = withSnapshot ? await heapByKind() : undefined;
await applyOnce(`first apply (${backend})`);
if (gc !== undefined) {
  const perTrigger = (heapNow() - heapBefore) / count;
  console.log(`heap held per applied trigger: ${(perTrigger / 1024).toFixed(1)} KB (after a full GC)`);
}
if (kindsBefore !== undefined) printHeapGrowth(kindsBefore, await heapByKind(), count, 'trigger');
await applyOnce(`second apply (${backend})`);
await mesh.stop();
