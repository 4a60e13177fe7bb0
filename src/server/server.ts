/**
 * Composition root: opens the stores, builds the data plane, the control plane and the reconciler,
 * starts the listeners, and closes everything in order (ARCHITECTURE 2.1).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { consoleRoute, CONSOLE_PATH } from '../console/index.js';
import { createApiHandler } from '../controlplane/api/index.js';
import { createApplicationTokenIssuer } from '../controlplane/credentials.js';
import type { DataPlane } from '../controlplane/reconcile/data-plane.js';
import { Reconciler } from '../controlplane/reconcile/reconciler.js';
import { createHttpSender } from '../dataplane/delivery/sender.js';
import { ApplicationRegistry } from '../dataplane/gateway/applications.js';
import { createGatewayHandler } from '../dataplane/gateway/handler.js';
import { createIngressHandler } from '../dataplane/ingress/handler.js';
import { Mesh } from '../dataplane/mesh.js';
import { FunctionHost } from '../functions/host/host.js';
import { createBackends } from './backends.js';
import type { ServerConfig } from './config.js';
import { listen, type Listener } from './listen.js';
import { createFunctionMetrics, createGatewayMetrics, createPromMetrics } from './metrics.js';
import { applyStartupResources, ensureDefaultNamespaces } from './startup.js';
import { ensureAdminToken } from './token.js';

export interface RunningServer {
  readonly ingressUrl: string;
  readonly adminUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly mesh: Mesh;
  readonly reconciler: Reconciler;
  /** Stop accepting, finish in-flight deliveries (bounded), flush, release everything. */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  await mkdir(config.dataDir, { recursive: true });
  const token = await ensureAdminToken(config.dataDir, config.adminToken);
  const backends = createBackends(config);
  const resources = await backends.resources();
  await ensureDefaultNamespaces(resources);
  await applyStartupResources(resources, config.resources);

  const metrics = createPromMetrics();
  // Set once the ingress listens: a function publishes to its namespace's default broker there.
  let ingressUrl = '';
  let onFunctionChange = (_namespace: string, _name: string): void => {};
  const functions = new FunctionHost({
    dir: join(config.dataDir, 'functions'),
    publishUrl: (namespace) => `${ingressUrl}/${namespace}/default`,
    logger,
    metrics: createFunctionMetrics(metrics.registry),
    onChange: (namespace, name) => onFunctionChange(namespace, name),
  });
  const sender = createHttpSender({ resolve: (origin) => functions.dispatcherFor(origin) });
  const mesh = new Mesh({
    backend: (kind) => backends.get(kind),
    sender,
    logger,
    metrics,
    drainMs: config.drainMs,
  });

  const listenerBase = { host: config.host, limits: config.limits };
  // False until the reconciler's first pass is done: /readyz answers 503 and ingress refuses with 503.
  let ready = false;
  const ingress = await listen({
    ...listenerBase,
    port: config.port,
    handler: createIngressHandler({
      mesh,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      metrics,
      isReady: () => ready,
    }),
  });
  ingressUrl = ingress.url;
  // The application gateway (ARCHITECTURE 2.3) writes only through the mesh, into bound namespaces.
  const applications = new ApplicationRegistry();
  const gateway = await listen({
    ...listenerBase,
    port: config.gatewayPort,
    handler: createGatewayHandler({
      mesh,
      applications,
      triggers: async (namespace) => (await resources.list('Trigger', namespace)).map((t) => t.spec ?? {}),
      maxBodyBytes: config.maxBodyBytes,
      logger,
      metrics: createGatewayMetrics(metrics.registry),
    }),
  });
  const dataPlane: DataPlane = {
    ensureBroker: (broker) => mesh.ensureBroker(broker),
    removeBroker: (namespace, name) => mesh.removeBroker(namespace, name),
    ensureTrigger: (trigger) => mesh.ensureTrigger(trigger),
    removeTrigger: (uid, options) => mesh.removeTrigger(uid, options),
    bindApplication: (application, namespace) => applications.bind(application, namespace),
    unbindApplication: (application, namespace) => applications.unbind(application, namespace),
    setApplicationTokenHash: (application, hash) => applications.setTokenHash(application, hash),
    ensureFunction: (fn) => functions.ensure(fn),
    removeFunction: (namespace, name) => functions.remove(namespace, name),
    functionState: (namespace, name) => functions.state(namespace, name),
  };
  const reconciler = new Reconciler({
    resources,
    dataPlane,
    serverDefault: config.backend,
    ingressUrl: config.advertiseUrl ?? ingress.url,
    gatewayUrl: gateway.url,
    logger,
  });
  onFunctionChange = (namespace, name) => reconciler.touch('Function', namespace, name);
  const admin = await listen({
    ...listenerBase,
    port: config.adminPort,
    handler: createApiHandler({
      resources,
      token,
      logger,
      runtime: {
        tail: (ref, signal) => mesh.tail(ref.namespace, ref.name, signal),
        deliveries: (query) => Promise.resolve(mesh.deliveries(query)),
        replay: (ref, since) => mesh.replay(ref.namespace, ref.name, since),
        functionLogs: (ref, options) => {
          const logs = functions.logs(ref.namespace, ref.name);
          if (logs === undefined) return undefined;
          const asRecords = (lines: readonly object[]): Record<string, unknown>[] =>
            lines.map((line) => ({ ...line }));
          if (!options.follow) return asRecords(logs.recent(options.limit));
          return logs.follow(options.signal, options.limit) as AsyncIterable<Record<string, unknown>>;
        },
        issueApplicationToken: createApplicationTokenIssuer({
          resources,
          onIssued: (application, hash) => applications.setTokenHash(application, hash),
        }),
      },
      routes: {
        [CONSOLE_PATH]: consoleRoute,
        '/healthz': (_req, res) => res.end('ok'),
        '/readyz': (_req, res) => {
          res.statusCode = ready ? 200 : 503;
          res.end(ready ? 'ready' : 'starting');
        },
        '/metrics': (_req, res) => {
          metrics.registry.metrics().then(
            (text) => {
              res.setHeader('content-type', metrics.registry.contentType);
              res.end(text);
            },
            () => {
              res.statusCode = 500;
              res.end();
            },
          );
        },
      },
    }),
  });
  await reconciler.start();
  ready = true;
  const listeners: Listener[] = [ingress, admin, gateway];

  let closing: Promise<void> | undefined;
  return {
    ingressUrl: ingress.url,
    adminUrl: admin.url,
    gatewayUrl: gateway.url,
    token,
    mesh,
    reconciler,
    close: () =>
      (closing ??= (async () => {
        ready = false;
        await Promise.all(listeners.map((l) => l.close(1000)));
        await reconciler.stop();
        await mesh.close();
        await functions.close();
        await sender.close();
        await backends.close();
      })()),
  };
}
