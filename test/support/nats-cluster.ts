/**
 * A 3-node NATS cluster with JetStream on loopback, for tests of cemesh replicas that must survive the loss
 * of a NATS node (ARCHITECTURE 5). Each node gets a config file and a store dir in one temp dir. Client ports
 * are picked by the servers (`listen: 127.0.0.1:-1`) and read from their logs; the route ports must be
 * known before any node starts (every node lists every route), so they are reserved by binding port 0 and
 * releasing it, and the whole start is retried on the rare clash with another process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsServerBinary } from './nats.js';

export interface NatsClusterNode {
  /** The node's `server_name` (n1, n2, ...), as JetStream reports it, e.g. as a stream's leader. */
  readonly name: string;
  readonly url: string;
  /** The nats-server process (for CPU accounting in benchmarks). */
  readonly pid: number;
  /** False once the node was killed. */
  readonly running: boolean;
}

export interface NatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL. */
  readonly urls: readonly string[];
  /** SIGKILL one node (no shutdown, no flush) and wait until it is gone. */
  kill(name: string): Promise<void>;
  /** The last lines each node logged, for a failure message. */
  logs(): string;
  /** Stops every node and removes the temp dir. */
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  /** Number of nodes (default 3). */
  readonly size?: number;
  /** Longest wait for the nodes to start and JetStream to elect a meta leader (default 30 s). */
  readonly readyTimeoutMs?: number;
}

const START_ATTEMPTS = 3;
const NODE_START_TIMEOUT_MS = 15_000;
const LOG_TAIL_CHARS = 4_000;

interface RunningNode {
  readonly name: string;
  readonly child: ChildProcess;
  port: number;
  readonly exited: Promise<void>;
  log: string;
}

export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const binary = natsServerBinary();
  if (binary === undefined) throw new Error('nats-server is not installed');
  const size = options.size ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'cemesh-nats-cluster-'));
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const started = await launchAll(binary, dir, size, attempt).catch((error: unknown) => {
      lastError = error;
      return undefined;
    });
    if (started === undefined) continue;
    const cluster = clusterOf(started, dir);
    try {
      await waitForMetaLeader(cluster.urls, options.readyTimeoutMs ?? 30_000);
      return cluster;
    } catch (error) {
      const logs = cluster.logs();
      await cluster.stop();
      throw new Error(`${(error as Error).message}\n${logs}`, { cause: error });
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`the NATS cluster did not start in ${START_ATTEMPTS} attempts`, { cause: lastError });
}

function clusterOf(nodes: RunningNode[], dir: string): NatsCluster {
  const killed = new Set<string>();
  const stopNode = async (node: RunningNode, signal: NodeJS.Signals): Promise<void> => {
    if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill(signal);
    await node.exited;
  };
  return {
    nodes: nodes.map((node) => ({
      name: node.name,
      url: `nats://127.0.0.1:${node.port}`,
      pid: node.child.pid ?? -1,
      get running() {
        return !killed.has(node.name);
      },
    })),
    urls: nodes.map((node) => `nats://127.0.0.1:${node.port}`),
    async kill(name) {
      const node = nodes.find((n) => n.name === name);
      if (node === undefined) throw new Error(`no NATS node named ${name}`);
      killed.add(name);
      await stopNode(node, 'SIGKILL');
    },
    logs() {
      return nodes.map((n) => `--- ${n.name} ---\n${n.log}`).join('\n');
    },
    async stop() {
      for (const node of nodes) killed.add(node.name);
      await Promise.all(nodes.map((node) => stopNode(node, 'SIGKILL')));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts every node; on any failure (a reserved route port taken meanwhile) kills the started ones. */
async function launchAll(binary: string, dir: string, size: number, attempt: number): Promise<RunningNode[]> {
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) routePorts.push(await reservePort());
  const routes = routePorts.map((port) => `nats-route://127.0.0.1:${port}`);
  const results = await Promise.allSettled(
    routePorts.map(async (routePort, i) => {
      const name = `n${i + 1}`;
      const storeDir = join(dir, `try${attempt}`, name);
      await mkdir(storeDir, { recursive: true });
      const config = join(dir, `try${attempt}`, `${name}.conf`);
      // JSON is valid NATS config syntax, and quotes every path and URL safely.
      const text = JSON.stringify(
        {
          server_name: name,
          listen: '127.0.0.1:-1',
          jetstream: { store_dir: storeDir },
          cluster: { name: 'cemesh-test', listen: `127.0.0.1:${routePort}`, routes },
        },
        null,
        2,
      );
      await writeFile(config, text);
      return launch(binary, name, config);
    }),
  );
  const nodes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed === undefined) return nodes;
  await Promise.all(nodes.map((node) => (node.child.kill('SIGKILL'), node.exited)));
  throw failed.reason;
}

function launch(binary: string, name: string, config: string): Promise<RunningNode> {
  const child = spawn(binary, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const node: RunningNode = { name, child, port: 0, exited, log: '' };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start`)), NODE_START_TIMEOUT_MS);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}:\n${node.log}`));
    };
    const onExit = (code: number | null): void => fail(new Error(`${name} exited with ${String(code)}`));
    child.once('error', fail);
    child.once('exit', onExit);
    child.stderr?.setEncoding('utf8');
    // The pipe is read for as long as the node runs: a full pipe would block the server.
    child.stderr?.on('data', (chunk: string) => {
      node.log = (node.log + chunk).slice(-LOG_TAIL_CHARS);
      if (node.port !== 0) return;
      const port = Number(/Listening for client connections on [^\s]+:(\d+)/.exec(node.log)?.[1] ?? NaN);
      if (Number.isInteger(port) && node.log.includes('Server is ready')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', fail);
        node.port = port;
        resolve(node);
      }
    });
  });
}

/** A port free right now on loopback (the kernel's pick), released for the caller to bind. */
function reservePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Until JetStream answers an account info request, which needs an elected meta leader. */
async function waitForMetaLeader(urls: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const nc = await connect({ servers: [...urls], timeout: timeoutMs, reconnect: false });
  try {
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2_000, checkAPI: false });
        await jsm.getAccountInfo();
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    throw new Error(`JetStream elected no meta leader within ${timeoutMs} ms`, { cause: lastError });
  } finally {
    await nc.close();
  }
}
