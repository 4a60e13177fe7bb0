// What every CLI command pays before it does anything: the wall time of `cemesh --help` (the built bin, which
// loads the program and every command's module), against bare `node -e 0` in the same run, alternating.
// Run `npm run build` first; run on two trees to compare them.
// Standalone: node --import tsx bench/cli-start.ts [runs]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './paired.js';

const runs = Number(process.argv[2] ?? 15);
const bin = fileURLToPath(new URL('../dist/src/server/bin.js', import.meta.url));
if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);

function wallMs(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${String(result.status)}`);
  return performance.now() - started;
}

const cli: number[] = [];
const bare: number[] = [];
for (let i = 0; i < runs; i++) {
  cli.push(wallMs([bin, '--help']));
  bare.push(wallMs(['-e', '0']));
}
const cliMs = median(cli);
const bareMs = median(bare);
console.log(
  `cemesh --help: median ${cliMs.toFixed(0)} ms (${Math.min(...cli).toFixed(0)}-${Math.max(...cli).toFixed(0)}), ` +
    `bare node ${bareMs.toFixed(0)} ms: ${(cliMs / bareMs).toFixed(2)}x bare, ` +
    `${(cliMs - bareMs).toFixed(0)} ms of its own (${runs} runs each, alternating)`,
);
