/**
 * Test helpers for the control-plane API and the CLI: `startApi` serves ONLY the API handler on 127.0.0.1,
 * port 0, over the memory resource store; `runCli` runs the `cemesh` program in-process (createProgram +
 * parseAsync), capturing stdout, stderr and the exit code, so tests are fast and need no child process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { CommanderError } from 'commander';
import { createApiHandler, type ApiOptions } from '../../src/controlplane/api/index.js';
import { createMemoryResourceStore } from '../../src/store/memory/index.js';
import type { ResourceStore } from '../../src/store/contracts.js';
import { createProgram } from '../../src/cli/program.js';
import { ensureDefaultNamespaces } from '../../src/server/startup.js';

export const TEST_TOKEN = 'test-admin-token';

export interface ApiServer {
  readonly url: string;
  readonly token: string;
  readonly store: ResourceStore;
  close(): Promise<void>;
}

/** Starts the API alone, with the namespaces the server creates at start. */
export async function startApi(options: Partial<ApiOptions> = {}): Promise<ApiServer> {
  const store = options.resources ?? createMemoryResourceStore();
  await ensureDefaultNamespaces(store);
  const server: Server = createServer(createApiHandler({ token: TEST_TOKEN, ...options, resources: store }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: TEST_TOKEN,
    store,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Environment the program sees instead of process.env. */
  readonly env?: Record<string, string | undefined>;
  /** Working directory for relative files and `./.cemesh/admin.token`. */
  readonly cwd?: string;
  /** Text given as standard input (for `apply -f -`). */
  readonly stdin?: string;
  /** Stops long-running commands (`get -w`, `tail`). */
  readonly signal?: AbortSignal;
  /** Called with every chunk written to stdout (to stop a watch after some output). */
  readonly onStdout?: (chunk: string, all: string) => void;
  /** Receives what `serve` would get. */
  readonly serve?: (options: Record<string, unknown>) => Promise<void>;
}

/** Runs `cemesh <args>` in-process. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const program = createProgram({
    serve: options.serve ?? (() => Promise.resolve()),
    io: {
      stdout: {
        write(chunk: string) {
          stdout += chunk;
          options.onStdout?.(chunk, stdout);
        },
      },
      stderr: {
        write(chunk: string) {
          stderr += chunk;
        },
      },
      stdin: () => Readable.from([options.stdin ?? '']),
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    exit: (exitCode: number) => {
      code = exitCode;
    },
  });
  try {
    await program.parseAsync(['node', 'cemesh', ...args]);
  } catch (error) {
    // Commander's own errors (unknown option, --help) have set the exit code already.
    if (!(error instanceof CommanderError)) throw error;
  }
  return { code, stdout, stderr };
}
