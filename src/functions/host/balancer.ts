/**
 * The address of one hosted function for the delivery sender: an undici dispatch target that hands each
 * request to the serving replica with the fewest requests in flight (round-robin among equals), counts it per function (calls,
 * failures, duration), and, while no replica serves yet (starting, restarting after a crash), holds it for a
 * bounded time instead of failing at once. A request still held when that time is up fails as a network
 * error, and the trigger's delivery policy retries it.
 */
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'undici/types/header.js';
import type { Replica } from './replica.js';

export interface FunctionMetrics {
  call(namespace: string, name: string, outcome: 'success' | 'failure', durationMs: number): void;
}

export const noFunctionMetrics: FunctionMetrics = { call() {} };

/** How long a request waits for a replica to serve. */
const HOLD_MS = 10_000;

interface Held {
  readonly options: Dispatcher.DispatchOptions;
  readonly handler: Dispatcher.DispatchHandler;
  readonly timer: NodeJS.Timeout;
}

export class FunctionBalancer {
  private replicas: readonly Replica[] = [];
  private held: Held[] = [];
  /** The index of the replica picked last (round-robin among equally busy ones). */
  private last = -1;

  constructor(
    private readonly namespace: string,
    private readonly name: string,
    private readonly metrics: FunctionMetrics,
  ) {}

  /** The replicas that serve from now on; requests already sent finish where they are. */
  setReplicas(replicas: readonly Replica[]): void {
    this.replicas = replicas.filter((r) => r.pool !== undefined);
    if (this.replicas.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const item of held) {
      clearTimeout(item.timer);
      this.dispatch(item.options, item.handler);
    }
  }

  get serving(): number {
    return this.replicas.length;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const replica = this.pick();
    if (!replica?.pool) {
      const item: Held = {
        options,
        handler,
        timer: setTimeout(() => {
          this.held = this.held.filter((h) => h !== item);
          this.metrics.call(this.namespace, this.name, 'failure', HOLD_MS);
          handler.onResponseError?.(
            notStarted,
            new Error(`function ${this.namespace}/${this.name} has no running replica`),
          );
        }, HOLD_MS),
      };
      this.held.push(item);
      return true;
    }
    replica.inflight++;
    return replica.pool.dispatch(options, new CallObserver(handler, replica, this));
  }

  /** Fails every held request (the function was removed). */
  close(): void {
    for (const item of this.held) {
      clearTimeout(item.timer);
      item.handler.onResponseError?.(
        notStarted,
        new Error(`function ${this.namespace}/${this.name} was removed`),
      );
    }
    this.held = [];
  }

  record(outcome: 'success' | 'failure', durationMs: number): void {
    this.metrics.call(this.namespace, this.name, outcome, durationMs);
  }

  /**
   * The replica with the fewest requests in flight; ties go round-robin, starting after the last one picked,
   * so calls one at a time (none in flight) still spread over every replica.
   */
  private pick(): Replica | undefined {
    const count = this.replicas.length;
    let best: Replica | undefined;
    let bestIndex = -1;
    for (let i = 1; i <= count; i++) {
      const index = (this.last + i) % count;
      const replica = this.replicas[index];
      if (replica?.pool === undefined) continue;
      if (best === undefined || replica.inflight < best.inflight) {
        best = replica;
        bestIndex = index;
      }
    }
    if (best !== undefined) this.last = bestIndex;
    return best;
  }
}

/** A controller for requests that never reached a connection. */
const notStarted: Dispatcher.DispatchController = {
  aborted: false,
  paused: false,
  reason: null,
  abort() {},
  pause() {},
  resume() {},
};

/** Passes every callback through, and counts the call once it ends. */
class CallObserver implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private status = 0;
  private done = false;

  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly replica: Replica,
    private readonly balancer: FunctionBalancer,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    this.status = statusCode;
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.end(this.status < 400 ? 'success' : 'failure');
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.end('failure');
    this.inner.onResponseError?.(controller, error);
  }

  private end(outcome: 'success' | 'failure'): void {
    if (this.done) return;
    this.done = true;
    this.replica.inflight--;
    this.balancer.record(outcome, performance.now() - this.started);
  }
}
