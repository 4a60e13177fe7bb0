/** Starts a real cemesh server in-process on port 0 for end-to-end tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { silentLogger } from '../../src/core/logger.js';
import { collectionPath, findKindOf } from '../../src/core/resources/index.js';
import type { Resource } from '../../src/core/resources/object.js';
import { parseServerConfig } from '../../src/server/config.js';
import { startServer, type RunningServer, type ServerExtras } from '../../src/server/server.js';

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  /** Creates (or replaces) resources through the API and waits until the reconciler has seen them. */
  apply(...objects: Resource[]): Promise<void>;
  /** GET through the admin API. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTestServer(
  options: {
    backend?: 'memory' | 'embedded';
    dataDir?: string;
    flags?: Record<string, unknown>;
    extras?: ServerExtras;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cemesh-test-')));
  const config = parseServerConfig(
    {
      port: 0,
      adminPort: 0,
      gatewayPort: 0,
      dataDir,
      backend: options.backend ?? 'memory',
      ...options.flags,
    },
    {},
  );
  const server = await startServer(config, silentLogger, options.extras);
  const api = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const response = await request(`${server.adminUrl}${path}`, {
      method: method as 'GET',
      headers: {
        authorization: `Bearer ${server.token}`,
        'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text === '' ? undefined : JSON.parse(text) };
  };
  return {
    ...server,
    close: () => server.close(),
    dataDir,
    api,
    async apply(...objects) {
      for (const object of objects) {
        const path = resourcePath(object);
        const existing = await api('GET', `${path}/${object.metadata.name}`);
        const result =
          existing.status === 200
            ? await api('PUT', `${path}/${object.metadata.name}`, object)
            : await api('POST', path, object);
        if (result.status >= 300)
          throw new Error(`apply ${object.kind} ${object.metadata.name}: ${JSON.stringify(result.body)}`);
      }
      await settle(server);
    },
    async stop() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the reconciler has processed every change so far. */
export async function settle(server: RunningServer): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await server.reconciler.idle();
}

function resourcePath(object: Resource): string {
  const served = findKindOf(object.apiVersion, object.kind);
  if (served === undefined) throw new Error(`no path for ${object.apiVersion} ${object.kind}`);
  return collectionPath(served.kind, object.metadata.namespace ?? 'default', served.version.name);
}

export function broker(name: string, namespace = 'default', spec: Record<string, unknown> = {}): Resource {
  return { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name, namespace }, spec };
}

export function trigger(
  name: string,
  spec: Record<string, unknown>,
  namespace = 'default',
  annotations?: Record<string, string>,
): Resource {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec,
  };
}

export function namespace(name: string, annotations?: Record<string, string>): Resource {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(annotations ? { annotations } : {}) } };
}

/** A Kyma Function with an inline source (and more spec fields when given). */
export function fn(
  name: string,
  source: string,
  spec: Record<string, unknown> = {},
  namespace = 'default',
): Resource {
  return {
    apiVersion: 'serverless.kyma-project.io/v1alpha2',
    kind: 'Function',
    metadata: { name, namespace },
    spec: { runtime: 'nodejs20', source: { inline: { source } }, ...spec },
  };
}
