// Where the server's bytes are allocated while `apply -f` creates N triggers (SA's young-generation
// collections are set by the bytes allocated per trigger). One cemesh server in this process (memory backend
// unless named); the CLI runs as a process of its own (the built bin), so only the server is sampled. V8's
// sampling heap profiler runs with objects that die young included; samples are summed by allocating
// function and by file, per trigger.
// Compiled, for line numbers that match the source: npx tsc -p tsconfig.bench.json && npm run build &&
//   node dist/bench/apply-alloc.js [triggers] [memory|embedded] [top]
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startInProcess } from './in-process.js';
import { printAllocations, sampleAllocations } from './sampled-allocations.js';
import { applyManifest } from './scenarios/apply.js';

const count = Number(process.argv[2] ?? 10_000);
const backend = (process.argv[3] ?? 'memory') as 'memory' | 'embedded';
const top = Number(process.argv[4] ?? 40);

const mesh = await startInProcess('apply-alloc', { backend });
const file = join(mesh.dataDir, 'triggers.yaml');
await writeFile(file, applyManifest(count));

const allocations = await sampleAllocations(async () => {
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
});
console.log(
  `${count} triggers applied on ${backend}: ${(allocations.total / count).toFixed(0)} B allocated per trigger (sampled)`,
);
printAllocations(allocations, count, top);
await mesh.stop();
