/**
 * Composition root: opens the stores, builds the data plane, the control plane and the reconciler,
 * starts the listeners, and closes everything in order (ARCHITECTURE 2.1).
 */
import { mkdir } from 'node:fs/promises';
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
import { createBackends } from './backends.js';
import type { ServerConfig } from './config.js';
import { listen, type Listener } from './listen.js';
import { createGatewayMetrics, createPromMetrics } from './metrics.js';
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
  const sender = createHttpSender();
  const mesh = new Mesh({
    backend: (kind) => backends.get(kind),
    sender,
    logger,
    metrics,
    drainMs: config.drainMs,
  });

  // A listener that cannot open (port taken) ends the start: what was opened so far is closed again.
  const listeners: Listener[] = [];
  const open = async (...args: Parameters<typeof listen>): Promise<Listener> => {
    try {
      const listener = await listen(...args);
      listeners.push(listener);
      return listener;
    } catch (error) {
      await Promise.all(listeners.map((l) => l.close(0)));
      await mesh.close();
      await sender.close();
      await backends.close();
      throw error;
    }
  };

  // False until the reconciler's first pass is done: /readyz answers 503 and ingress refuses with 503.
  let ready = false;
  const ingress = await open(
    config.host,
    config.port,
    createIngressHandler({ mesh, maxBodyBytes: config.maxBodyBytes, logger, metrics, isReady: () => ready }),
    { name: 'ingress', setting: 'port' },
  );
  // The application gateway (ARCHITECTURE 2.3) writes only through the mesh, into bound namespaces.
  const applications = new ApplicationRegistry();
  const gateway = await open(
    config.host,
    config.gatewayPort,
    createGatewayHandler({
      mesh,
      applications,
      triggers: async (namespace) => (await resources.list('Trigger', namespace)).map((t) => t.spec ?? {}),
      maxBodyBytes: config.maxBodyBytes,
      logger,
      metrics: createGatewayMetrics(metrics.registry),
    }),
    { name: 'gateway', setting: 'gatewayPort' },
  );
  const dataPlane: DataPlane = {
    ensureBroker: (broker) => mesh.ensureBroker(broker),
    removeBroker: (namespace, name) => mesh.removeBroker(namespace, name),
    ensureTrigger: (trigger) => mesh.ensureTrigger(trigger),
    removeTrigger: (uid, options) => mesh.removeTrigger(uid, options),
    bindApplication: (application, namespace) => applications.bind(application, namespace),
    unbindApplication: (application, namespace) => applications.unbind(application, namespace),
    setApplicationTokenHash: (application, hash) => applications.setTokenHash(application, hash),
  };
  const reconciler = new Reconciler({
    resources,
    dataPlane,
    serverDefault: config.backend,
    ingressUrl: config.advertiseUrl ?? ingress.url,
    gatewayUrl: gateway.url,
    logger,
  });
  const admin = await open(
    config.host,
    config.adminPort,
    createApiHandler({
      resources,
      token,
      logger,
      runtime: {
        tail: (ref, signal) => mesh.tail(ref.namespace, ref.name, signal),
        deliveries: (query) => Promise.resolve(mesh.deliveries(query)),
        replay: (ref, since) => mesh.replay(ref.namespace, ref.name, since),
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
    { name: 'admin', setting: 'adminPort' },
  );
  await reconciler.start();
  ready = true;

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
        await sender.close();
        await backends.close();
      })()),
  };
}
