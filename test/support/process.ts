/** Runs `cemesh serve` as a child process, as a user would, for crash and restart tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly ingressUrl: string;
  readonly adminUrl: string;
  readonly gatewayUrl: string | undefined;
  readonly token: string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no drain, no flush. */
  kill(): Promise<void>;
}

const START_TIMEOUT_S = 60;

export const binPath = join(import.meta.dirname, '..', '..', 'src', 'server', 'bin.ts');

export async function startServerProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', binPath, 'serve', '--port', '0', '--admin-port', '0', '--gateway-port', '0', ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    // A bound, not a performance assertion: on a loaded machine tsx alone can take seconds to start. A server
    // that misses it is killed, so a failed start never leaves a child that keeps the test file alive.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cemesh serve did not get ready in ${START_TIMEOUT_S} s; stderr:\n${stderr}`));
    }, START_TIMEOUT_S * 1000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (text) => {
      if (text.startsWith('cemesh ready:')) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cemesh serve exited with ${code} before it was ready; stderr:\n${stderr}`));
    });
  });
  const url = (name: string): string | undefined => new RegExp(`${name}=(\\S+)`).exec(line)?.[1];
  const dataDirIndex = args.indexOf('--data-dir');
  const dataDir = dataDirIndex >= 0 ? args[dataDirIndex + 1]! : './.cemesh';
  const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
  return {
    child,
    ingressUrl: url('ingress')!,
    adminUrl: url('admin')!,
    gatewayUrl: url('gateway'),
    token,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
