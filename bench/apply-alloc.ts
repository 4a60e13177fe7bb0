// Where the server's bytes are allocated while `apply -f` creates N triggers (SA's young-generation
// collections are set by the bytes allocated per trigger). One cemesh server in this process (memory backend
// unless named); the CLI runs as a process of its own (the built bin), so only the server is sampled. V8's
// sampling heap profiler runs with objects that die young included; samples are summed by allocating
// function and by file, per trigger.
// Compiled, for line numbers that match the source: npx tsc -p tsconfig.bench.json && npm run build &&
//   node dist/bench/apply-alloc.js [triggers] [memory|embedded] [top]
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startInProcess } from './in-process.js';
import { applyManifest } from './scenarios/apply.js';

const count = Number(process.argv[2] ?? 10_000);
const backend = (process.argv[3] ?? 'memory') as 'memory' | 'embedded';
const top = Number(process.argv[4] ?? 40);

const mesh = await startInProcess('apply-alloc', { backend });
const file = join(mesh.dataDir, 'triggers.yaml');
await writeFile(file, applyManifest(count));

const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await promisify(execFile)(
  process.execPath,
  [
    'dist/src/server/bin.js',
    'apply',
    '-f',
    file,
    '--server',
    mesh.server.adminUrl,
    '--token',
    mesh.server.token,
  ],
  { maxBuffer: 64 * 1024 * 1024 },
);
await mesh.settle();
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };
session.disconnect();

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

const bySite = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
const siteOf = (node: SampleNode): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(src|bench|node_modules)\//, '$1/') || '(native)';
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
};
// A native function (Object.keys, an iterator's next) is named with the function that called it.
const visit = (node: SampleNode, caller = ''): void => {
  const { url } = node.callFrame;
  const file = url.replace(/^.*\/(src|bench|node_modules)\//, '$1/') || '(native)';
  const site = url === '' ? `${siteOf(node)} < ${caller}` : siteOf(node);
  total += node.selfSize;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  byFile.set(file, (byFile.get(file) ?? 0) + node.selfSize);
  for (const child of node.children) visit(child, siteOf(node));
};
visit(profile.head);

const perTrigger = (bytes: number): string => `${(bytes / count).toFixed(0).padStart(6)} B`;
console.log(`${count} triggers applied on ${backend}: ${perTrigger(total)} allocated per trigger (sampled)`);
for (const [name, rows] of [
  ['function', bySite],
  ['file', byFile],
] as const) {
  console.log(`\nby ${name}:`);
  for (const [key, bytes] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${perTrigger(bytes)}  ${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
await mesh.stop();
