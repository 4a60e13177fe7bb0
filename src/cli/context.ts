/**
 * What every command shares: where output goes, the environment, the API client built from the global
 * `--server` / `--token` options, and how failures are reported (message and every cause on stderr, exit 1).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createClient, isClientError, type Client } from '../controlplane/client/index.js';

export interface Output {
  write(chunk: string): unknown;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Standard input, read for `-f -`. */
  readonly stdin: () => AsyncIterable<string | Uint8Array>;
}

export interface ProgramHooks {
  /** Starts the server in this process with the raw `serve` flags (and their CEMESH_* variables). */
  serve: (options: Record<string, unknown>) => Promise<void>;
  /** Where output goes (default: the process's streams). */
  io?: Io;
  /** The environment (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Resolves relative paths and `./.cemesh/admin.token` (default: process.cwd()). */
  cwd?: string;
  /** Ends long-running commands (`get -w`, `tail`). */
  signal?: AbortSignal;
  /** Sets the exit code (default: process.exitCode). Given, commander's own errors throw instead of exiting. */
  exit?: (code: number) => void;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:8081';

export class Context {
  readonly io: Io;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signal: AbortSignal;
  private readonly exitWith: (code: number) => void;

  constructor(readonly hooks: ProgramHooks) {
    this.io = hooks.io ?? {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: () => process.stdin as AsyncIterable<string | Uint8Array>,
    };
    this.env = hooks.env ?? process.env;
    this.cwd = hooks.cwd ?? process.cwd();
    this.signal = hooks.signal ?? new AbortController().signal;
    this.exitWith =
      hooks.exit ??
      ((code) => {
        process.exitCode = code;
      });
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  exit(code: number): void {
    this.exitWith(code);
  }

  path(file: string): string {
    return resolve(this.cwd, file);
  }

  /** The API client for the global options of `command`. The caller closes it. */
  client(command: Command): Client {
    const globals = command.optsWithGlobals<{ server?: string; token?: string }>();
    const server = globals.server ?? this.env.CEMESH_SERVER ?? DEFAULT_SERVER;
    const token = globals.token ?? this.env.CEMESH_TOKEN ?? this.tokenFile();
    // Warnings go to stderr the way kubectl prints them, so that output piped on stays clean.
    const onWarning = (warning: string): void => this.err(`Warning: ${warning}`);
    return createClient(token === undefined ? { server, onWarning } : { server, token, onWarning });
  }

  /** The admin token the server writes at first start, when this machine has it. */
  adminToken(): string | undefined {
    return this.tokenFile();
  }

  private tokenFile(): string | undefined {
    const candidates = [
      ...(this.env.CEMESH_DATA_DIR ? [join(this.path(this.env.CEMESH_DATA_DIR), 'admin.token')] : []),
      this.path(join('.cemesh', 'admin.token')),
    ];
    for (const file of candidates) {
      try {
        const token = readFileSync(file, 'utf8').trim();
        if (token !== '') return token;
      } catch {
        // Absent or unreadable: try the next place; without a token the API answers 401, which says where to look.
      }
    }
    return undefined;
  }

  /** Prints an error the way every command does: the message, then each field error on its own line. */
  report(error: unknown, about?: string): void {
    const prefix = about === undefined ? 'error: ' : `error: ${about}: `;
    if (isClientError(error)) {
      this.err(`${prefix}${error.message}`);
      for (const cause of error.causes) this.err(`  ${cause.field}: ${cause.message}`);
      return;
    }
    this.err(`${prefix}${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Wraps a command's action: failures are reported and set exit code 1; the client is always closed. */
export function action<A extends unknown[]>(
  context: Context,
  run: (client: () => Client, ...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    let client: Client | undefined;
    const lazyClient = (): Client => (client ??= context.client(command));
    try {
      const code = await run(lazyClient, ...args);
      if (typeof code === 'number' && code !== 0) context.exit(code);
    } catch (error) {
      context.report(error);
      context.exit(1);
    } finally {
      await client?.close();
    }
  };
}
