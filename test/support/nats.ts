/**
 * Starts and stops real nats-server processes (JetStream on, loopback, a temp store dir) for tests of the
 * jetstream backend. The port is chosen by the server (`-p -1`) and read from its log, so two test files can
 * run at once without racing for a port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Stops the process (SIGTERM, then SIGKILL); the store dir is kept so `start` can bring it back. */
  stop(): Promise<void>;
  /** Starts the process again on the same port and store dir (after `stop`). */
  start(): Promise<void>;
  /** Stops the process and removes the store dir. */
  dispose(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/** The nats-server binary on the PATH, or undefined when it is not installed. */
export function natsServerBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

export async function startNatsServer(): Promise<NatsServer> {
  const binary = natsServerBinary();
  if (binary === undefined) throw new Error('nats-server is not installed');
  const storeDir = await mkdtemp(join(tmpdir(), 'cemesh-nats-'));
  let port = -1;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const started = await launch(binary, port, storeDir);
    child = started.child;
    port = started.port;
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running !== undefined) await terminate(running);
  };

  await start();
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    storeDir,
    stop,
    start,
    async dispose() {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function launch(
  binary: string,
  port: number,
  storeDir: string,
): Promise<{ child: ChildProcess; port: number }> {
  // No monitoring port; the server logs to stderr, which is read for the port it picked.
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    let listeningOn: number | undefined;
    const timer = setTimeout(() => fail(new Error(`nats-server did not start:\n${log}`)), START_TIMEOUT_MS);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`nats-server exited with ${String(code)}:\n${log}`)));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log += chunk;
      listeningOn ??= Number(/Listening for client connections on [^\s]+:(\d+)/.exec(log)?.[1] ?? NaN);
      if (Number.isNaN(listeningOn)) listeningOn = undefined;
      if (listeningOn !== undefined && log.includes('Server is ready')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve({ child, port: listeningOn });
      }
    });
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
