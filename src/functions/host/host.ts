/**
 * Runs the hosted functions of this cemesh process: builds each Function's version, starts its replicas,
 * rolls an edited version out (the new replicas serve before the old ones drain and stop, so no event is
 * dropped), and reports BuildReady and Running. The delivery sender finds a function by its Kyma address,
 * `http://<name>.<namespace>.svc.cluster.local` (the Service Kyma creates for a Function), so a Trigger's
 * `ref`, a Service `ref` of that name and a Kyma-style sink URL all reach it. Work is done in the background:
 * `ensure` returns at once and `onChange` says when a state changed.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { ChildConfig } from '../runtime/protocol.js';
import { FunctionBalancer, noFunctionMetrics, type FunctionMetrics } from './balancer.js';
import { BuildError, Builder, type BuiltFunction } from './build.js';
import { Generation } from './generation.js';
import { callTimeoutMs, nodeArguments, replicaEnvironment } from './launch.js';
import { runtimeDir } from './locate.js';
import { LogBook, type LogLine } from './logs.js';
import { Replica } from './replica.js';
import type { FunctionCondition, FunctionState, FunctionWiring } from '../../core/wiring.js';

export interface FunctionHostOptions {
  /** Where sources and installed dependencies are kept (`<data-dir>/functions`). */
  readonly dir: string;
  /** The ingress URL of a namespace's `default` broker, where `event.emitCloudEvent` publishes. */
  readonly publishUrl: (namespace: string) => string;
  /** The Authorization header a function publishes with: its sender identity (docs/security.md). */
  readonly publishAuthorization?: (namespace: string, name: string) => string;
  readonly logger: Logger;
  readonly metrics?: FunctionMetrics;
  /** Called when a function's BuildReady or Running changed. */
  readonly onChange: (namespace: string, name: string) => void;
}

/** The address Kyma gives a Function (its Service), which the sender maps to the function's replicas. */
export function functionOrigin(namespace: string, name: string): string {
  return `http://${name}.${namespace}.svc.cluster.local`;
}

class Hosted {
  desired: FunctionWiring;
  dirty = true;
  working: Promise<void> | undefined;
  removed = false;
  current: Generation | undefined;
  next: Generation | undefined;
  build: FunctionCondition = { status: 'Unknown', reason: 'Building', message: 'the build has not started' };
  running: FunctionCondition = { status: 'Unknown', reason: 'DeploymentWaiting', message: 'not started yet' };
  readonly logs = new LogBook();
  readonly balancer: FunctionBalancer;

  constructor(desired: FunctionWiring, metrics: FunctionMetrics) {
    this.desired = desired;
    this.balancer = new FunctionBalancer(desired.namespace, desired.name, metrics);
  }
}

export class FunctionHost {
  private readonly functions = new Map<string, Hosted>();
  private readonly byOrigin = new Map<string, Hosted>();
  private readonly builder: Builder;
  /**
   * The replicas' temp folders, `<dir>/scratch/<name>-<random>`: under the data folder, which one process
   * holds at a time, so that what a killed cemesh left there can be removed when the next one starts a replica.
   */
  private readonly scratch: string;
  private scratchCleared: Promise<void> | undefined;
  /** Removals of stopped replicas' temp folders still under way: close() waits for them. */
  private readonly removals = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: FunctionHostOptions) {
    this.builder = new Builder(options.dir);
    this.scratch = join(options.dir, 'scratch');
  }

  /** Starts or updates a function; returns at once (see `state`). */
  ensure(desired: FunctionWiring): void {
    const key = `${desired.namespace}/${desired.name}`;
    let fn = this.functions.get(key);
    if (!fn) {
      fn = new Hosted(desired, this.options.metrics ?? noFunctionMetrics);
      this.functions.set(key, fn);
      this.byOrigin.set(functionOrigin(desired.namespace, desired.name), fn);
    }
    // The reconciler calls again whenever the status changes: the same spec is no new work. (A failed build
    // is therefore retried when the Function changes, or after a restart.)
    else if (versionKey(fn.desired) === versionKey(desired) && fn.desired.replicas === desired.replicas)
      return;
    fn.desired = desired;
    fn.dirty = true;
    // A version still starting (perhaps crashing in a loop) is given up for the new one.
    void fn.next?.stop(0);
    const hosted = fn;
    hosted.working ??= this.converge(hosted)
      .catch((error: unknown) => this.options.logger.error({ err: error, function: key }, 'function failed'))
      .finally(() => (hosted.working = undefined));
  }

  /** Stops a function's replicas; calls in flight finish within `drainMs` (default: its FUNC_TIMEOUT). */
  async remove(namespace: string, name: string, drainMs?: number): Promise<void> {
    const key = `${namespace}/${name}`;
    const fn = this.functions.get(key);
    if (!fn) return;
    this.functions.delete(key);
    this.byOrigin.delete(functionOrigin(namespace, name));
    fn.removed = true;
    fn.balancer.close();
    await Promise.all([fn.current?.stop(drainMs ?? callTimeoutMs(fn.desired.env)), fn.next?.stop(0)]);
  }

  state(namespace: string, name: string): FunctionState | undefined {
    const fn = this.functions.get(`${namespace}/${name}`);
    if (!fn) return undefined;
    return { build: fn.build, running: fn.running, readyReplicas: fn.current?.serving().length ?? 0 };
  }

  /** The dispatch target of a hosted function's address, or undefined for any other origin. */
  dispatcherFor(origin: string): FunctionBalancer | undefined {
    return this.byOrigin.get(origin)?.balancer;
  }

  logs(
    namespace: string,
    name: string,
  ):
    | {
        recent(limit?: number): LogLine[];
        follow(signal: AbortSignal, limit?: number): AsyncGenerator<LogLine>;
      }
    | undefined {
    return this.functions.get(`${namespace}/${name}`)?.logs;
  }

  /** Stops every replica, letting calls in flight finish (bounded), and removes their temp folders. */
  async close(drainMs = 5000): Promise<void> {
    this.closed = true;
    const all = [...this.functions.values()].map((fn) => fn.desired);
    await Promise.all(all.map((fn) => this.remove(fn.namespace, fn.name, drainMs)));
    await Promise.all(this.removals);
  }

  private async converge(fn: Hosted): Promise<void> {
    while (fn.dirty && !fn.removed) {
      fn.dirty = false;
      const desired = fn.desired;
      const key = versionKey(desired);
      if (fn.current?.key === key) {
        fn.current.scale(desired.replicas);
        this.refresh(fn);
        continue;
      }
      if (desired.replicas === 0) {
        const old = fn.current;
        fn.current = undefined;
        this.refresh(fn);
        await old?.stop(callTimeoutMs(desired.env));
        continue;
      }
      const built = await this.build(fn, desired);
      if (built === undefined || fn.dirty || fn.removed) continue;
      const next = new Generation(
        key,
        (index) => this.startReplica(fn, desired, built, key, index),
        () => this.refresh(fn),
      );
      fn.next = next;
      next.scale(desired.replicas);
      const ok = await next.firstReady;
      fn.next = undefined;
      if (!ok && fn.dirty) {
        await next.stop(0);
        continue;
      }
      if (!ok || fn.removed) {
        fn.running = {
          status: 'False',
          reason: 'FunctionLoadFailed',
          message: `${next.loadError ?? 'the new version stopped'}${fn.current ? ' (the previous version keeps serving)' : ''}`,
        };
        await next.stop(0);
        this.changed(fn);
        continue;
      }
      const old = fn.current;
      fn.current = next;
      this.refresh(fn);
      // The old replicas take no new calls; those in flight finish within FUNC_TIMEOUT.
      void old?.stop(callTimeoutMs(desired.env));
    }
  }

  private async build(fn: Hosted, desired: FunctionWiring): Promise<BuiltFunction | undefined> {
    fn.build = {
      status: 'Unknown',
      reason: 'Building',
      message: 'writing the source and installing dependencies',
    };
    this.changed(fn);
    try {
      const built = await this.builder.build(desired);
      fn.build = {
        status: 'True',
        reason: 'BuildSucceeded',
        message: built.dependenciesDir ? 'dependencies installed' : 'no dependencies',
      };
      this.changed(fn);
      return built;
    } catch (error) {
      fn.build =
        error instanceof BuildError
          ? { status: 'False', reason: error.reason, message: error.message }
          : { status: 'False', reason: 'BuildFailed', message: String(error) };
      this.changed(fn);
      return undefined;
    }
  }

  private async startReplica(
    fn: Hosted,
    desired: FunctionWiring,
    built: BuiltFunction,
    key: string,
    index: number,
  ): Promise<Replica> {
    if (this.closed) throw new Error('cemesh is shutting down');
    const dir = await runtimeDir();
    await (this.scratchCleared ??= clearFolder(this.scratch));
    const tmpDir = await mkdtemp(join(this.scratch, `${desired.name}-`));
    const removeTmpDir = (): void => {
      const removal = rm(tmpDir, { recursive: true, force: true })
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error, tmpDir }, 'temp folder not removed'),
        )
        .finally(() => this.removals.delete(removal));
      this.removals.add(removal);
    };
    const config: ChildConfig = {
      handlerPath: join(built.sourceDir, 'handler.js'),
      name: desired.name,
      namespace: desired.namespace,
      runtime: desired.runtime,
      publishUrl: this.options.publishUrl(desired.namespace),
      ...(this.options.publishAuthorization === undefined
        ? {}
        : { publishAuthorization: this.options.publishAuthorization(desired.namespace, desired.name) }),
    };
    const paths = {
      runtimeDir: dir,
      sourceDir: built.sourceDir,
      tmpDir,
      ...(built.dependenciesDir ? { dependenciesDir: built.dependenciesDir } : {}),
    };
    let replica: Replica;
    try {
      replica = new Replica({
        id: `${desired.name}-${key.slice(0, 6)}-${index}`,
        args: [...nodeArguments(paths, desired.memoryMb), join(dir, 'child.js'), JSON.stringify(config)],
        env: replicaEnvironment(desired, tmpDir, config.publishUrl),
        cwd: tmpDir,
        callTimeoutMs: callTimeoutMs(desired.env),
        logs: fn.logs,
      });
    } catch (error) {
      removeTmpDir();
      throw error;
    }
    void replica.exited.then(removeTmpDir);
    return replica;
  }

  /** Points the balancer at the serving replicas and derives Running. */
  private refresh(fn: Hosted): void {
    const current = fn.current;
    fn.balancer.setReplicas(current?.serving() ?? []);
    if (fn.next && !current) {
      // A first version that crashes before it ever serves: Running says so while it restarts with backoff.
      const crash = fn.next.crashLoop();
      if (crash !== undefined) this.setRunning(fn, crashLoopBackOff(0, fn.desired.replicas, crash));
      return;
    }
    const desired = fn.desired.replicas;
    const serving = current?.serving().length ?? 0;
    const crash = current?.crashLoop();
    let running: FunctionCondition;
    if (desired === 0) running = { status: 'False', reason: 'ScaledToZero', message: 'spec.replicas is 0' };
    else if (!current) return;
    else if (serving >= desired && crash === undefined)
      running = {
        status: 'True',
        reason: 'DeploymentReady',
        message: `${serving} of ${desired} replicas serving`,
      };
    else if (crash !== undefined) running = crashLoopBackOff(serving, desired, crash);
    else
      running = {
        status: 'Unknown',
        reason: 'DeploymentWaiting',
        message: `${serving} of ${desired} replicas serving`,
      };
    this.setRunning(fn, running);
  }

  private setRunning(fn: Hosted, running: FunctionCondition): void {
    if (sameCondition(running, fn.running)) return;
    fn.running = running;
    this.changed(fn);
  }

  private changed(fn: Hosted): void {
    if (!fn.removed) this.options.onChange(fn.desired.namespace, fn.desired.name);
  }
}

/** Empties a folder (made if missing): what an earlier process left in it. */
async function clearFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Running while a replica restarts after crashes: True as long as every desired replica serves. */
function crashLoopBackOff(
  serving: number,
  desired: number,
  crash: { readonly restarts: number; readonly message: string },
): FunctionCondition {
  return {
    status: serving >= desired ? 'True' : 'False',
    reason: serving >= desired ? 'DeploymentReady' : 'CrashLoopBackOff',
    message: `${serving} of ${desired} replicas serving; restarted ${crash.restarts} time(s), last: ${crash.message}`,
  };
}

function sameCondition(a: FunctionCondition, b: FunctionCondition): boolean {
  return a.status === b.status && a.reason === b.reason && a.message === b.message;
}

/** A version: what needs new processes when it changes (the replica count does not). */
function versionKey(fn: FunctionWiring): string {
  const env = Object.entries(fn.env).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([fn.runtime, fn.source, fn.dependencies ?? '', env, fn.memoryMb]))
    .digest('hex')
    .slice(0, 16);
}
