/**
 * A cemesh server in the bench script's own process (built from source), for the standalone benches that
 * reach into it (ordered.ts, apply.ts, backlog-heap.ts): its own data directory, the admin API with the
 * server's token, and a wait for the reconciler.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { silentLogger } from '../src/core/logger.js';
import { parseServerConfig } from '../src/server/config.js';
import { startServer, type RunningServer } from '../src/server/server.js';

export interface InProcessServer {
  readonly server: RunningServer;
  readonly dataDir: string;
  /** An admin API call; throws on a status of 300 or more; resolves with the parsed body (undefined if empty). */
  api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
  /** Waits until the reconciler has seen every change so far. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startInProcess(
  name: string,
  flags: Record<string, unknown> = {},
): Promise<InProcessServer> {
  const dataDir = await mkdtemp(join(tmpdir(), `cemesh-bench-${name}-`));
  const server = await startServer(
    parseServerConfig({ port: 0, adminPort: 0, gatewayPort: 0, dataDir, backend: 'memory', ...flags }, {}),
    silentLogger,
  );
  return {
    server,
    dataDir,
    async api(method, path, body) {
      const res = await request(`${server.adminUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    },
    async settle() {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await server.reconciler.idle();
    },
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
