/**
 * Request/response over the IPC channel of a forked child, so the load generator, the subscribers and the
 * relay each run on an event loop of their own (a shared loop would distort every figure).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Request {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

interface Response {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

export type Handlers = Readonly<Record<string, (params: never) => unknown>>;

export interface RpcChild {
  readonly pid: number;
  call<T>(method: string, params?: unknown): Promise<T>;
  /** Asks the child to exit, and waits for it (killed after a grace period). */
  close(): Promise<void>;
}

export interface ForkOptions {
  readonly cpuProfDir?: string | undefined;
  /** The compiled bench (bench/build.ts BENCH_DIST): run `<dir>/<name>.js` with plain node, as the server runs. */
  readonly compiledDir?: string | undefined;
}

/** Forks `bench/<name>` (compiled, or the source with tsx) and resolves once it has said it is ready. */
export async function forkRpc(name: string, options: ForkOptions = {}): Promise<RpcChild> {
  const file = options.compiledDir
    ? join(options.compiledDir, `${name}.js`)
    : fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const profile = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child = fork(file, [], {
    execArgv: [...(options.compiledDir ? [] : ['--import', 'tsx']), ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ready: (() => void) | undefined;
  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench/${name}.ts exited with ${String(code)} at start`)));
  });
  child.on('message', (message: Response | 'ready') => {
    if (message === 'ready') {
      ready?.();
      return;
    }
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error !== undefined) entry.reject(new Error(`${name}: ${message.error}`));
    else entry.resolve(message.result);
  });
  child.once('exit', (code) => {
    for (const entry of waiting.values())
      entry.reject(new Error(`bench/${name}.ts exited with ${String(code)}`));
    waiting.clear();
  });
  await started;
  return {
    pid: child.pid ?? -1,
    call<T>(method: string, params?: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, method, params } satisfies Request);
      });
    },
    close: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** The child's side: answers requests with `handlers` and tells the parent it is ready. */
export function serveRpc(handlers: Handlers): void {
  process.on('message', (message: Request) => {
    const handler = handlers[message.method];
    const reply = (response: Response): void => {
      process.send?.(response);
    };
    if (!handler) {
      reply({ id: message.id, error: `unknown method ${message.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.params as never))
      .then(
        (result) => reply({ id: message.id, result }),
        (error: unknown) =>
          reply({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.once('SIGTERM', () => process.exit(0));
  // The parent going away (crash, Ctrl-C) must not leave this process behind.
  process.once('disconnect', () => process.exit(0));
  process.send?.('ready');
}
