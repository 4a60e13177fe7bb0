/**
 * One running replica of a function: a child process (started with the permission flags of launch.ts), its
 * undici Pool on the loopback port it reports, a watchdog on its heartbeat, and its output in the LogBook.
 * `ready` settles once: the replica serves, or it failed to load (the message says why).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import type { ChildMessage } from '../runtime/protocol.js';
import type { LogBook } from './logs.js';

export interface ReplicaOptions {
  readonly id: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** FUNC_TIMEOUT: a replica whose event loop is blocked longer than this (plus a margin) is killed. */
  readonly callTimeoutMs: number;
  readonly logs: LogBook;
}

export interface ReplicaExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why it ended: asked to stop, killed by the watchdog, failed to load, or crashed. */
  readonly cause: 'stopped' | 'timeout' | 'load-error' | 'crashed';
  readonly message: string;
}

/** How long a replica may take to load its module and listen. */
const START_TIMEOUT_MS = 30_000;
/** Added to FUNC_TIMEOUT before a silent replica is killed: heartbeats come every 500 ms. */
const WATCHDOG_MARGIN_MS = 2000;

export class Replica {
  readonly ready: Promise<void>;
  readonly exited: Promise<ReplicaExit>;
  pool: Pool | undefined;
  /** Requests sent and not yet answered. */
  inflight = 0;
  private readonly child: ChildProcess;
  private cause: ReplicaExit['cause'] = 'crashed';
  private loadError: string | undefined;
  private lastBeat = Date.now();
  private readonly lastErrors: string[] = [];

  constructor(private readonly options: ReplicaOptions) {
    this.child = spawn(process.execPath, [...options.args], {
      cwd: options.cwd,
      env: { ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.capture('stdout');
    this.capture('stderr');
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': the last output (often why it crashed) has been read by then.
      this.child.once('close', (code, signal) => {
        clearInterval(watchdog);
        void this.pool?.destroy();
        const message =
          this.cause === 'load-error'
            ? (this.loadError ?? 'the module failed to load')
            : this.cause === 'timeout'
              ? timeoutMessage(options.callTimeoutMs)
              : `exited with ${signal ?? `code ${code}`}${this.lastErrors.length ? `: ${this.lastErrors.join(' | ')}` : ''}`;
        // A timeout was logged when the watchdog fired, before the kill failed the calls in flight.
        if (this.cause !== 'stopped' && this.cause !== 'timeout')
          this.log('stderr', `replica ${options.id} ${message}`);
        resolve({ code, signal, cause: this.cause, message });
      });
    });
    const watchdog = setInterval(() => {
      if (this.pool && Date.now() - this.lastBeat > options.callTimeoutMs + WATCHDOG_MARGIN_MS) {
        if (this.cause === 'timeout') return;
        this.cause = 'timeout';
        // Logged before the kill: the calls in flight fail once it lands (a dead letter, a retry), and whoever
        // reads the log after them finds why.
        this.log('stderr', `replica ${options.id} ${timeoutMessage(options.callTimeoutMs)}`);
        this.child.kill('SIGKILL');
      }
    }, 500);
    watchdog.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.loadError = `did not start within ${START_TIMEOUT_MS / 1000} s`;
        this.cause = 'load-error';
        this.child.kill('SIGKILL');
      }, START_TIMEOUT_MS);
      this.child.on('message', (message: ChildMessage) => {
        switch (message.t) {
          case 'beat':
            this.lastBeat = Date.now();
            break;
          case 'log':
            this.log(message.stream, message.text, message.id);
            break;
          case 'load-error':
            this.cause = 'load-error';
            this.loadError = message.message;
            break;
          case 'ready':
            clearTimeout(timer);
            this.lastBeat = Date.now();
            this.pool = new Pool(`http://127.0.0.1:${message.port}`, {
              connections: 128,
              pipelining: 1,
              keepAliveTimeout: 60_000,
              headersTimeout: 0,
              bodyTimeout: 0,
            });
            resolve();
            break;
        }
      });
      void this.exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(exit.message));
      });
    });
    // The rejection is read through `exited` by the owner; an unawaited `ready` must not crash cemesh.
    this.ready.catch(() => {});
  }

  get id(): string {
    return this.options.id;
  }

  /** Finishes what is in flight (bounded), then ends the process. */
  async stop(drainMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.cause = 'stopped';
    const deadline = Date.now() + drainMs;
    while (this.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(killer);
  }

  private capture(stream: 'stdout' | 'stderr'): void {
    const input = this.child[stream];
    if (!input) return;
    createInterface({ input }).on('line', (text) => this.log(stream, text));
  }

  /** Keeps a line of output; the last lines of stderr say why a crashed replica ended. */
  private log(stream: 'stdout' | 'stderr', text: string, eventId?: string): void {
    if (stream === 'stderr') {
      this.lastErrors.push(text);
      if (this.lastErrors.length > 3) this.lastErrors.shift();
    }
    this.options.logs.add({
      time: new Date().toISOString(),
      replica: this.options.id,
      stream,
      text,
      ...(eventId === undefined ? {} : { eventId }),
    });
  }
}

function timeoutMessage(callTimeoutMs: number): string {
  return `killed after its event loop was blocked longer than FUNC_TIMEOUT (${callTimeoutMs / 1000} s)`;
}
