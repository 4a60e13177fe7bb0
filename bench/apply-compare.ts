/**
 * SA's measure on two built trees, one run of each per round, alternating (the order flips every round) so
 * that both see the same neighbours on this shared machine: `apply -f` of a Broker and 10,000 Triggers by the
 * tree's own CLI against the tree's own server, until every trigger is Ready through one watch. A set of five
 * runs (what SA itself judges) moved by 15% between sets for the same tree; pairs of single runs side by side
 * keep the comparison inside one window of the machine's load. Prints each round, each tree's median and the
 * median of the per-round ratios (the second tree's time over the first's).
 *
 *   node --import tsx bench/apply-compare.ts <tree A> <tree B> [--rounds 9] [--backend memory|embedded]
 *
 * Each tree must be built (`npm run build` in it); a git worktree of an older commit serves as tree A.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { startMesh, type BackendName } from './mesh.js';
import { allReady, applyManifest, APPLY_TRIGGERS } from './scenarios/apply.js';

const run = promisify(execFile);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string' }, backend: { type: 'string' } },
});
const rounds = Number(values.rounds ?? 9);
const backend = (values.backend ?? 'memory') as BackendName;
const trees = positionals.map((tree) => resolve(tree));
if (trees.length !== 2) throw new Error('name two built trees: apply-compare.ts <tree A> <tree B>');
const manifest = applyManifest(APPLY_TRIGGERS);

/** Seconds from starting the CLI until every trigger is Ready. */
async function readyAfter(tree: string): Promise<number> {
  const bin = join(tree, 'dist/src/server/bin.js');
  const mesh = await startMesh({ backend, serverBin: bin });
  try {
    const file = join(mesh.dataDir, 'triggers.yaml');
    await writeFile(file, manifest);
    const started = performance.now();
    await run(
      process.execPath,
      [bin, 'apply', '-f', file, '--server', mesh.adminUrl, '--token', mesh.token],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    await allReady(mesh);
    return (performance.now() - started) / 1000;
  } finally {
    await mesh.stop();
  }
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const [first, second] = trees as [string, string];
const times = new Map<string, number[]>(trees.map((tree) => [tree, []]));
const ratios: number[] = [];
for (let round = 1; round <= rounds; round++) {
  const got = new Map<string, number>();
  for (const tree of round % 2 === 1 ? [first, second] : [second, first]) {
    const seconds = await readyAfter(tree);
    got.set(tree, seconds);
    times.get(tree)!.push(seconds);
  }
  ratios.push(got.get(second)! / got.get(first)!);
  console.log(
    `round ${round}: ${trees.map((tree) => `${tree} ${got.get(tree)!.toFixed(2)} s`).join(', ')}, ` +
      `ratio ${ratios.at(-1)!.toFixed(2)}`,
  );
}
console.log(
  `${backend}, ${rounds} rounds: medians ${trees.map((tree) => `${tree} ${median(times.get(tree)!).toFixed(2)} s`).join(', ')}; ` +
    `median ratio ${median(ratios).toFixed(2)} (${[...ratios]
      .sort((a, b) => a - b)
      .map((r) => r.toFixed(2))
      .join(' ')})`,
);
