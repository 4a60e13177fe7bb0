/**
 * Composition root: opens the stores, builds the data plane, the control plane and the reconciler,
 * starts the listeners, and closes everything in order (ARCHITECTURE 2.1).
 */
import { mkdir } from 'node:fs/promises';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../core/logger.js';
import { isMeshError } from '../core/errors.js';
import { defaultResource, validateResource } from '../core/resources/index.js';
import { findKindOf } from '../core/resources/kinds.js';
import type { Resource } from '../core/resources/object.js';
import { consoleRoute, CONSOLE_PATH } from '../console/index.js';
import { createApiHandler } from '../controlplane/api/index.js';
import { createApplicationTokenIssuer } from '../controlplane/credentials.js';
import type { DataPlane } from '../controlplane/reconcile/data-plane.js';
import { Reconciler } from '../controlplane/reconcile/reconciler.js';
import { createHttpSender } from '../dataplane/delivery/sender.js';
import { ApplicationRegistry } from '../dataplane/gateway/applications.js';
import { createGatewayHandler } from '../dataplane/gateway/handler.js';
import type { GatewayMetrics } from '../dataplane/gateway/metrics.js';
import { createIngressHandler } from '../dataplane/ingress/handler.js';
import { Mesh } from '../dataplane/mesh.js';
import type { ResourceStore } from '../store/contracts.js';
import { createBackends } from './backends.js';
import { ConfigError, type ServerConfig } from './config.js';
import { listen, type Listener } from './listen.js';
import { createPromMetrics } from './metrics.js';
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
  const token = await ensureAdminToken(config.dataDir);
  const backends = createBackends(config);
  const resources = await backends.resources();
  await ensureDefaultNamespace(resources);
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

  const ingress = await listen(
    config.host,
    config.port,
    createIngressHandler({ mesh, maxBodyBytes: config.maxBodyBytes, logger, metrics }),
  );
  // The application gateway (ARCHITECTURE 2.3) writes only through the mesh, into bound namespaces.
  const applications = new ApplicationRegistry();
  const gateway = await listen(
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
    ingressUrl: ingress.url,
    gatewayUrl: gateway.url,
    logger,
  });
  let ready = false;
  const admin = await listen(
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
  );
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
        await sender.close();
        await backends.close();
      })()),
  };
}

async function ensureDefaultNamespace(resources: ResourceStore): Promise<void> {
  if (await resources.get({ kind: 'Namespace', name: 'default' })) return;
  await resources.create(stamp({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }));
}

/** Applies the config file's resources: created when absent, left alone when present (the API owns updates). */
async function applyStartupResources(resources: ResourceStore, objects: readonly Resource[]): Promise<void> {
  for (const object of objects) {
    const info = findKindOf(String(object.apiVersion), String(object.kind));
    if (!info)
      throw new Error(
        `config resources: unknown kind ${String(object.kind)} in ${String(object.apiVersion)}`,
      );
    const namespace = info.namespaced ? (object.metadata?.namespace ?? 'default') : undefined;
    const candidate = stamp(
      defaultResource({ ...object, metadata: { ...object.metadata, ...(namespace ? { namespace } : {}) } }),
    );
    const errors = validateResource(candidate);
    if (errors.length > 0) {
      const where = `${info.kind} ${candidate.metadata.name}`;
      throw new ConfigError(
        `resources: ${where}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      );
    }
    try {
      await resources.create(candidate);
    } catch (error) {
      if (!isMeshError(error) || error.code !== 'MESH_RESOURCE_EXISTS') throw error;
    }
  }
}

function stamp(object: Resource): Resource {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      uid: object.metadata.uid ?? crypto.randomUUID(),
      generation: 1,
      creationTimestamp: new Date().toISOString(),
    },
  };
}

/** Per-application gateway counters on the /metrics registry. */
function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const accepted = new Counter({
    name: 'cemesh_gateway_events_accepted_total',
    help: 'Application events stored in at least one bound namespace',
    labelNames: ['application'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'cemesh_gateway_events_rejected_total',
    help: 'Application requests that stored nothing, by reason (error code, or no_namespace)',
    labelNames: ['application', 'reason'],
    registers: [registry],
  });
  return {
    accepted: (application) => accepted.inc({ application }),
    rejected: (application, reason) => rejected.inc({ application, reason }),
  };
}
