/**
 * Builds the server the way users get it (the package's bin in dist/, compiled with the build's settings)
 * before the scenarios run, so that memory and start-up figures are those of `node dist/src/server/bin.js`:
 * running from source through tsx adds its loader thread (about 27 MB of RSS here) and a slower start. The
 * bench's own children (relay, load generator, subscribers) are compiled in the same pass into dist/bench,
 * so the bare relay that cemesh is compared with runs the same way as cemesh: compiled, same node flags.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BIN = join(ROOT, 'dist/src/server/bin.js');
/** Where the compiled bench children land (tsconfig.bench.json). */
export const BENCH_DIST = join(ROOT, 'dist/bench');

/**
 * Runs the build script's compiler; resolves with the bin's path. Type errors elsewhere in a tree other
 * people are editing do not stop tsc from emitting, so a fresh bin counts as success (with a warning).
 */
export async function buildServer(log: (line: string) => void): Promise<string> {
  const started = Date.now();
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.bench.json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (text += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (text += t));
    child.once('error', reject);
    child.once('exit', (exit) => resolve({ code: exit, output: text }));
  });
  let builtAt = 0;
  try {
    builtAt = statSync(SERVER_BIN).mtimeMs;
  } catch {
    // Not built at all: reported below.
  }
  if (builtAt < started - 1000) throw new Error(`the build did not produce ${SERVER_BIN}:\n${output}`);
  if (code !== 0) {
    const errors = output.split('\n').filter((line) => line.includes('error TS')).length;
    log(`build: emitted with ${errors} type error(s) elsewhere in the tree; measuring what was emitted`);
  }
  log(`build: dist/ ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return SERVER_BIN;
}
