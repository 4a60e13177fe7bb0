/**
 * Runs a real `cemesh serve` as a child process (ports 0, a fresh data dir), applies resources through the
 * control-plane API with the admin token, waits for them to be Ready, reads the process's memory from
 * /proc, and stops it with SIGTERM (the documented drain).
 *
 * `npm run bench` builds first and runs the package's bin (bench/build.ts); with --tsx, or in tools that
 * start servers themselves, the server runs from source through tsx (same code, more memory, slower start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createClient } from '../src/controlplane/client/index.js';
import { startNatsServer } from '../test/support/nats.js';
import { cpuSecondsOf, memoryOf } from './proc.js';
import { formatGcPauses, summariseGcTrace } from './gc-trace.js';

export type BackendName = 'memory' | 'embedded' | 'jetstream';

export interface MeshStartOptions {
  readonly backend: BackendName;
  /** Resources applied at start through `--config` (the route that bypasses the API). */
  readonly startupResources?: readonly object[];
  /** Writes a V8 CPU profile of the server into this directory when it exits. */
  readonly cpuProfDir?: string;
  /** Runs the server with --trace-gc, its trace written to gc-PID.log in this directory. */
  readonly gcTraceDir?: string;
  /** The built bin to run (bench/build.ts); without it the server runs from source through tsx. */
  readonly serverBin?: string;
  /** A NATS the server shares with others (a cluster; jetstream only); without it, one of its own. */
  readonly nats?: { readonly urls: readonly string[]; readonly replicas: number };
  /** Extra environment of the server (S1t: the OTEL_* variables that turn tracing on). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface Resource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
}

export interface MeshProcess {
  readonly pid: number;
  readonly ingressUrl: string;
  readonly adminUrl: string;
  /** The admin API's bearer token, and the server's data directory (removed when it stops). */
  readonly token: string;
  readonly dataDir: string;
  /** URL of a broker's ingress. */
  brokerUrl(name: string, namespace?: string): string;
  /** Creates resources through the API, `concurrency` requests at a time; resolves with elapsed ms. */
  apply(objects: readonly Resource[], concurrency?: number): Promise<number>;
  /**
   * Applies the objects the way `cemesh apply -f` does (the client's applyAll: the API's apply List in chunks);
   * rejects naming the first object that failed. Resolves with the milliseconds it took.
   */
  applyAll(objects: readonly Resource[]): Promise<number>;
  /** Waits until every listed object of a kind in the namespace reports Ready=True. */
  waitReady(
    kind: 'Broker' | 'Trigger' | 'Function',
    names: readonly string[],
    timeoutMs?: number,
    namespace?: string,
  ): Promise<void>;
  /** The Ready condition of one object: undefined until it has one. */
  readyCondition(
    kind: 'Broker' | 'Trigger',
    name: string,
    namespace?: string,
  ): Promise<Condition | undefined>;
  /** The Prometheus text of /metrics. */
  metrics(): Promise<string>;
  /** Current and peak resident set size in MiB (VmRSS, VmHWM). */
  memory(): { rssMb: number; peakMb: number };
  /** CPU seconds the server has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_LINE = /cemesh ready: ingress=(\S+) admin=(\S+)/;
const START_TIMEOUT_MS = 120_000;

const plural: Record<string, string> = { Broker: 'brokers', Trigger: 'triggers' };

function collectionPath(kind: string, namespace: string): string {
  if (kind === 'Function')
    return `/apis/serverless.kyma-project.io/v1alpha2/namespaces/${namespace}/functions`;
  const name = plural[kind];
  if (!name) throw new Error(`bench cannot apply ${kind}`);
  return `/apis/eventing.knative.dev/v1/namespaces/${namespace}/${name}`;
}

export async function startMesh(options: MeshStartOptions): Promise<MeshProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-bench-'));
  const args = ['serve', '--port', '0', '--admin-port', '0', '--gateway-port', '0', '--data-dir', dataDir];
  args.push('--backend', options.backend);
  // A NATS server of its own: the jetstream backend keeps resources in NATS, so a shared one would hand
  // every server the brokers and triggers of the scenarios before it.
  const nats = options.backend === 'jetstream' && !options.nats ? await startNatsServer() : undefined;
  if (nats) args.push('--nats', nats.url);
  if (options.nats)
    args.push('--nats', options.nats.urls.join(','), '--nats-replicas', String(options.nats.replicas));
  if (options.startupResources) {
    const file = join(dataDir, 'bench-config.json');
    // JSON is YAML: the config loader reads it as is.
    await writeFile(file, JSON.stringify({ resources: options.startupResources }));
    args.push('--config', file);
  }
  const nodeArgs = options.serverBin ? [] : ['--import', 'tsx'];
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  if (options.gcTraceDir) nodeArgs.push('--trace-gc');
  // Any other V8 or Node flag for the server alone (--trace-gc-nvp, --max-semi-space-size=…), for probes.
  nodeArgs.push(...(process.env['BENCH_SERVER_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== ''));
  const entry = options.serverBin ?? join(ROOT, 'src/server/bin.ts');
  const child = spawn(process.execPath, [...nodeArgs, entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, CEMESH_LOG_LEVEL: process.env['CEMESH_LOG_LEVEL'] ?? 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr.push(text);
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const urls = await readyLine(child, exited, stderr).catch(async (error: unknown) => {
    await nats?.dispose();
    throw error;
  });
  const gcTrace = options.gcTraceDir ? recordGcTrace(child, options.gcTraceDir) : undefined;
  const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
  const admin = new Pool(urls.admin, { connections: 32 });

  const api = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> => {
    const response = await admin.request({
      path,
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text === '' ? undefined : JSON.parse(text) };
  };

  return {
    pid: child.pid ?? -1,
    ingressUrl: urls.ingress,
    adminUrl: urls.admin,
    token,
    dataDir,
    brokerUrl: (name, namespace = 'default') => `${urls.ingress}/${namespace}/${name}`,
    async apply(objects, concurrency = 1) {
      const started = performance.now();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < objects.length) {
          const object = objects[next++]!;
          const result = await api(
            'POST',
            collectionPath(object.kind, object.metadata.namespace ?? 'default'),
            object,
          );
          if (result.status >= 300)
            throw new Error(`apply ${object.kind} ${object.metadata.name}: ${JSON.stringify(result.body)}`);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
      return performance.now() - started;
    },
    async applyAll(objects) {
      const started = performance.now();
      const client = createClient({ server: urls.admin, token });
      const failures: string[] = [];
      try {
        await client.applyAll(objects as never, (outcome) => {
          if ('error' in outcome)
            failures.push(`${outcome.object.metadata.name}: ${String((outcome.error as Error).message)}`);
        });
      } finally {
        await client.close();
      }
      if (failures.length > 0) throw new Error(`apply: ${failures.length} failed, e.g. ${failures[0]}`);
      return performance.now() - started;
    },
    async waitReady(kind, names, timeoutMs = 60_000, namespace = 'default') {
      const deadline = Date.now() + timeoutMs;
      const wanted = new Set(names);
      let notReady: string[] = [...wanted];
      let why = 'not reconciled';
      while (Date.now() < deadline) {
        const list = await api('GET', collectionPath(kind, namespace));
        const items = ((list.body as { items?: ListedObject[] } | undefined)?.items ?? []).filter((o) =>
          wanted.has(o.metadata.name),
        );
        const ready = new Set(items.filter(isReady).map((o) => o.metadata.name));
        notReady = [...wanted].filter((name) => !ready.has(name));
        why =
          items.find((o) => !isReady(o))?.status?.conditions?.find((c) => c.type === 'Ready')?.message ?? why;
        if (notReady.length === 0) return;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 + wanted.size / 10)));
      }
      throw new Error(
        `${notReady.length} ${kind}(s) not Ready after ${timeoutMs} ms, e.g. ${notReady.slice(0, 3).join(', ')}: ${why}`,
      );
    },
    async readyCondition(kind, name, namespace = 'default') {
      const found = await api('GET', `${collectionPath(kind, namespace)}/${name}`);
      return (found.body as ListedObject | undefined)?.status?.conditions?.find((c) => c.type === 'Ready');
    },
    async metrics() {
      const response = await admin.request({
        path: '/metrics',
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
      });
      return response.body.text();
    },
    memory() {
      return memoryOf(child.pid ?? -1);
    },
    cpuSeconds() {
      return cpuSecondsOf(child.pid ?? -1);
    },
    async stop() {
      await admin.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      if (gcTrace) await gcTrace.finish();
      await nats?.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Keeps what the server prints to stdout (its --trace-gc lines) and sums the pauses up when it stops. */
function recordGcTrace(child: ChildProcess, dir: string): { finish(): Promise<void> } {
  const lines: string[] = [];
  child.stdout?.on('data', (text: string) => lines.push(text));
  return {
    async finish() {
      const text = lines.join('');
      const file = join(dir, `gc-${child.pid ?? 'unknown'}.log`);
      await mkdir(dir, { recursive: true });
      await writeFile(file, text);
      console.error(`  gc (server ${child.pid ?? '?'}, ${file}): ${formatGcPauses(summariseGcTrace(text))}`);
    },
  };
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

interface ListedObject {
  readonly metadata: { name: string };
  readonly status?: { conditions?: Condition[] };
}

function isReady(object: ListedObject): boolean {
  return object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

async function readyLine(
  child: ChildProcess,
  exited: Promise<number | null>,
  stderr: string[],
): Promise<{ ingress: string; admin: string }> {
  let buffered = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      new Promise<{ ingress: string; admin: string }>((resolve) => {
        // Stops keeping output once the line came (a --trace-gc trace would grow the buffer for good); the
        // stream keeps flowing, so a server that prints more never blocks on a full pipe.
        const onData = (text: string): void => {
          buffered += text;
          const match = READY_LINE.exec(buffered);
          if (!match) return;
          child.stdout?.off('data', onData).resume();
          resolve({ ingress: match[1]!, admin: match[2]! });
        };
        child.stdout?.setEncoding('utf8').on('data', onData);
      }),
      exited.then((code) => {
        throw new Error(`cemesh serve exited with ${String(code)} before it was ready:\n${stderr.join('')}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('cemesh serve was not ready in time')), START_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function brokerResource(name: string, namespace = 'default'): Resource {
  return { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name, namespace }, spec: {} };
}

export function triggerResource(
  name: string,
  options: {
    broker: string;
    subscriber: string;
    filters?: readonly object[];
    delivery?: Record<string, unknown>;
    maxInflight?: number;
    namespace?: string;
  },
): Resource {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.maxInflight
        ? { annotations: { 'eventing.cemesh.dev/max-inflight': String(options.maxInflight) } }
        : {}),
    },
    spec: {
      broker: options.broker,
      subscriber: { uri: options.subscriber },
      ...(options.filters ? { filters: options.filters } : {}),
      ...(options.delivery ? { delivery: options.delivery } : {}),
    },
  };
}
