/**
 * How a replica is started: Node's flags and the environment, from the function's wiring. Pure.
 *
 * Node 20's permission model (`--experimental-permission`, https://nodejs.org/docs/latest-v20.x/api/permissions.html)
 * denies every file system access, child process and worker thread not granted. A replica may read the
 * runtime's own folder, the function's source folder and its installed dependencies, and write only its temp
 * folder; it gets no child processes and no worker threads, so it cannot reach cemesh's data folder or tokens.
 */
import type { FunctionWiring } from '../../core/wiring.js';

export interface LaunchPaths {
  /** The folder of the replica's entry (child.js and its siblings). */
  readonly runtimeDir: string;
  /** The function's source folder (handler.js, package.json). */
  readonly sourceDir: string;
  /** The installed dependencies (the folder holding node_modules), when there are any. */
  readonly dependenciesDir?: string;
  /** The only folder the replica may write. */
  readonly tmpDir: string;
}

/** The default of Kyma's runtime when FUNC_TIMEOUT is not set (seconds). */
export const DEFAULT_FUNC_TIMEOUT_S = 180;

export function nodeArguments(paths: LaunchPaths, memoryMb: number): string[] {
  const reads = [
    paths.runtimeDir,
    paths.sourceDir,
    ...(paths.dependenciesDir ? [paths.dependenciesDir] : []),
    // Its own temp folder too: a file written there is read back (the permission to write is not to read).
    paths.tmpDir,
  ];
  return [
    '--experimental-permission',
    ...reads.map((dir) => `--allow-fs-read=${withSlash(dir)}`),
    `--allow-fs-write=${withSlash(paths.tmpDir)}`,
    // The heap gets three quarters of the profile's limit; the rest is code, buffers and the stack.
    `--max-old-space-size=${Math.max(16, Math.floor(memoryMb * 0.75))}`,
    // handler.js may be an ES module without "type": "module" (Node 22 detects this by default).
    '--experimental-detect-module',
    '--disable-warning=ExperimentalWarning',
    '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
  ];
}

function withSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}

/**
 * The replica's environment: what Kyma's controller sets (FUNC_NAME, FUNC_RUNTIME, SERVICE_NAMESPACE,
 * PUBLISHER_PROXY_ADDRESS), TMPDIR pointing at its temp folder, then the spec's env, which wins. Nothing of
 * cemesh's own environment leaks in.
 */
export function replicaEnvironment(
  fn: FunctionWiring,
  tmpDir: string,
  publishUrl: string,
): Record<string, string> {
  return {
    FUNC_NAME: fn.name,
    FUNC_RUNTIME: fn.runtime,
    SERVICE_NAMESPACE: fn.namespace,
    PUBLISHER_PROXY_ADDRESS: publishUrl,
    TMPDIR: tmpDir,
    ...fn.env,
  };
}

/** FUNC_TIMEOUT of the spec's env in milliseconds, or Kyma's default. */
export function callTimeoutMs(env: Readonly<Record<string, string>>): number {
  const seconds = Number(env['FUNC_TIMEOUT']);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_FUNC_TIMEOUT_S) * 1000;
}

/** Restart waits after crashes in a row: 1 s doubling to 30 s (a shorter CrashLoopBackOff than Kubernetes'). */
export function restartDelayMs(crashes: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, crashes - 1));
}
