/**
 * Composition root: opens the stores, builds the data plane, the control plane and the reconciler,
 * starts the listeners, and closes everything in order (ARCHITECTURE 2.1).
 */
import { subscriptionAsTriggers } from '../core/kyma/index.js';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { consoleRoutes } from '../console/index.js';
import { createApiHandler } from '../controlplane/api/index.js';
import { createApplicationTokenIssuer } from '../controlplane/credentials.js';
import { SenderTokens } from '../controlplane/sender-tokens.js';
import type { DataPlane } from '../controlplane/reconcile/data-plane.js';
import { Reconciler } from '../controlplane/reconcile/reconciler.js';
import { createHttpSender } from '../dataplane/delivery/sender.js';
import { ApplicationRegistry } from '../dataplane/gateway/applications.js';
import { createGatewayHandler } from '../dataplane/gateway/handler.js';
import { createIngressHandler } from '../dataplane/ingress/handler.js';
import { Mesh } from '../dataplane/mesh.js';
import { FunctionHost } from '../functions/host/host.js';
import { InternalIdentities } from '../dataplane/authz/internal.js';
import { ownSenders } from '../dataplane/authz/own-senders.js';
import { SenderAuthorization } from '../dataplane/authz/senders.js';
import { createBackends } from './backends.js';
import type { ServerConfig } from './config.js';
import { listen, type Listener, type ListenOptions } from './listen.js';
import { lockDataDir, type DataDirLock } from './data-dir.js';
import { createFunctionMetrics, createGatewayMetrics, createPromMetrics } from './metrics.js';
import { applyStartupResources, ensureDefaultNamespaces } from './startup.js';
import type { ServerTracing } from './tracing.js';
import { MeshTracing } from '../dataplane/tracing.js';
import { createHostCheck, guardHost } from './host-check.js';
import { createServerGuard } from './outbound.js';
import { loadTls } from './tls.js';
import { ensureAdminToken } from './token.js';
import { versionInfo } from './version.js';
import { settleHeap } from './settle-heap.js';

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

export interface ServerExtras {
  /** OpenTelemetry tracing (startTracing); off when absent. Shut down by close(). */
  readonly tracing?: ServerTracing;
  /** The log level, read and changed at runtime through the admin API; absent: the API answers 404. */
  readonly logLevel?: { get(): string; set(level: string): void };
}

export async function startServer(
  config: ServerConfig,
  logger: Logger,
  extras: ServerExtras = {},
): Promise<RunningServer> {
  const lock = lockDataDir(config.dataDir);
  try {
    return await start(config, logger, lock, extras);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function start(
  config: ServerConfig,
  logger: Logger,
  lock: DataDirLock,
  extras: ServerExtras,
): Promise<RunningServer> {
  const token = await ensureAdminToken(config.dataDir, config.adminToken, logger);
  const backends = createBackends(config, logger);
  const resources = await backends.resources().catch(async (error: unknown) => {
    await backends.close();
    throw error;
  });
  await ensureDefaultNamespaces(resources);
  const outbound = createServerGuard(config);
  await applyStartupResources(resources, config.resources, outbound.admissionChecks);

  const metrics = createPromMetrics();
  // Set once the ingress listens: a function publishes to its namespace's default broker there.
  let ingressUrl = '';
  // Sender authorization at broker ingress (docs/decisions/sender-authorization.md).
  const identities = new InternalIdentities(token);
  const senders = new SenderAuthorization(identities);
  // Asked for every trigger wired: the origins are worked out once the ingress listens, not on every call.
  let ingressOrigins: readonly string[] = [];
  const own = ownSenders(senders, identities, () => ingressOrigins);
  let onFunctionChange = (_namespace: string, _name: string): void => {};
  const functions = new FunctionHost({
    dir: join(config.dataDir, 'functions'),
    publishUrl: (namespace) => `${ingressUrl}/${namespace}/default`,
    publishAuthorization: (namespace, name) => own.functionAuthorization(namespace, name),
    logger,
    metrics: createFunctionMetrics(metrics.registry),
    onChange: (namespace, name) => onFunctionChange(namespace, name),
  });
  const sender = createHttpSender({
    guard: outbound.guard,
    resolve: (origin) => functions.dispatcherFor(origin),
  });
  const tracing = new MeshTracing(extras.tracing?.tracer);
  const mesh = new Mesh({
    backend: (kind) => backends.get(kind),
    sender,
    logger,
    metrics,
    tracing,
    drainMs: config.drainMs,
    ownSenders: own,
  });
  metrics.watchTriggers(() => mesh.triggerStats());

  const tls = config.tls === undefined ? undefined : loadTls(config.tls, logger);
  const listenerBase = { host: config.host, limits: config.limits, ...(tls === undefined ? {} : { tls }) };
  // A listener that cannot open (port taken) ends the start: what was opened so far is closed again.
  const listeners: Listener[] = [];
  const open = async (options: ListenOptions): Promise<Listener> => {
    try {
      const listener = await listen(options);
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
  // True once shutdown began: /readyz answers 503 so a load balancer stops sending; the mesh refuses events.
  let stopping = false;
  const ingress = await open({
    ...listenerBase,
    port: config.port,
    name: 'ingress',
    portSetting: 'port',
    handler: createIngressHandler({
      mesh,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      metrics,
      tracing,
      isReady: () => ready,
      authorizer: senders,
    }),
  });
  ingressUrl = ingress.url;
  ingressOrigins = [ingressUrl, config.advertiseUrl]
    .filter((u): u is string => !!u)
    .map((u) => new URL(u).origin);
  // The application gateway (ARCHITECTURE 2.3) writes only through the mesh, into bound namespaces.
  const applications = new ApplicationRegistry();
  const gateway = await open({
    ...listenerBase,
    port: config.gatewayPort,
    name: 'gateway',
    portSetting: 'gatewayPort',
    handler: createGatewayHandler({
      mesh,
      applications,
      // Knative Triggers and Kyma Subscriptions both subscribe to application events.
      triggers: async (namespace) => [
        ...(await resources.list('Trigger', namespace)).map((t) => t.spec ?? {}),
        ...(await resources.list('Subscription', namespace)).flatMap((s) =>
          subscriptionAsTriggers(s.spec ?? {}),
        ),
      ],
      maxBodyBytes: config.maxBodyBytes,
      logger,
      metrics: createGatewayMetrics(metrics.registry),
      tracing,
    }),
  });
  const dataPlane: DataPlane = {
    ensureBroker: (broker) => mesh.ensureBroker(broker),
    removeBroker: (namespace, name) => mesh.removeBroker(namespace, name),
    migrateBroker: (namespace, name, to) => mesh.migrateBroker(namespace, name, to),
    setBrokerReadiness: (namespace, name, notReady) => mesh.setBrokerReadiness(namespace, name, notReady),
    ensureTrigger: (trigger) => mesh.ensureTrigger(trigger),
    removeTrigger: (uid, options) => mesh.removeTrigger(uid, options),
    bindApplication: (application, namespace) => applications.bind(application, namespace),
    unbindApplication: (application, namespace) => applications.unbind(application, namespace),
    setApplicationTokenHash: (application, hash) => applications.setTokenHash(application, hash),
    setBrokerAccess: (namespace, name, access) => senders.setBrokerAccess(namespace, name, access),
    setSenderToken: (key, senderToken) => senders.setSenderToken(key, senderToken),
    setApplicationRegistered: (application, registered) =>
      senders.setApplicationRegistered(application, registered),
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
    eventTypePrefix: config.eventTypePrefix,
    logger,
  });
  onFunctionChange = (namespace, name) => reconciler.touch('Function', namespace, name);
  const admin = await open({
    ...listenerBase,
    port: config.adminPort,
    name: 'admin',
    portSetting: 'adminPort',
    handler: guardHost(
      adminHostCheck(config),
      createApiHandler({
        admissionChecks: outbound.admissionChecks,
        resources,
        senderTokens: new SenderTokens(resources),
        token,
        logger,
        ...(extras.logLevel === undefined ? {} : { logLevel: extras.logLevel }),
        runtime: {
          tail: (ref, signal, options) => mesh.tail(ref.namespace, ref.name, signal, options),
          deliveries: (query) => mesh.deliveries(query),
          replay: (ref, since) => mesh.replay(ref.namespace, ref.name, since),
          functionLogs: (ref, options) => {
            const logs = functions.logs(ref.namespace, ref.name);
            if (logs === undefined) return undefined;
            const asRecords = (lines: readonly object[]): Record<string, unknown>[] =>
              lines.map((line) => ({ ...line }));
            if (!options.follow) return asRecords(logs.recent(options.limit));
            return logs.follow(options.signal, options.limit) as AsyncIterable<Record<string, unknown>>;
          },
          stats: (ref, windowSeconds) => mesh.stats(ref.namespace, ref.name, windowSeconds),
          redeliver: (ref, event) => mesh.redeliver(ref.namespace, ref.name, event),
          issueApplicationToken: createApplicationTokenIssuer({
            resources,
            onIssued: (application, hash) => applications.setTokenHash(application, hash),
          }),
        },
        routes: {
          ...consoleRoutes(),
          '/healthz': (_req, res) => res.end('ok'),
          // kubectl version and client-go's discovery read it (unauthenticated, as Kubernetes serves it).
          '/version': (_req, res) => {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(versionInfo()));
          },
          '/readyz': (_req, res) => {
            res.statusCode = ready && !stopping ? 200 : 503;
            res.end(stopping ? 'stopping' : ready ? 'ready' : 'starting');
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
    ),
  });
  outbound.protect([admin.url, gateway.url]);
  await reconciler.start();
  settleHeap();
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
        // Graceful shutdown (docs/delivery.md): refuse new events at once (503, Retry-After), let requests
        // being stored finish, stop the reconciler, finish in-flight deliveries within the drain (an attempt
        // still running then is handed back: its lease is not settled, so it is due again after a restart),
        // then flush the history and close the stores, whose last commit is fsync'd.
        stopping = true;
        mesh.stopAccepting();
        await Promise.all(listeners.map((l) => l.close(1000)));
        await reconciler.stop();
        await mesh.close();
        await functions.close();
        await sender.close();
        await backends.close();
        await extras.tracing?.shutdown();
        tls?.close();
        lock.release();
      })()),
  };
}

/** The admin listener answers to its listen host and the advertised one too. */
function adminHostCheck(config: ServerConfig): (host: string | undefined) => boolean {
  const advertised = config.advertiseUrl === undefined ? [] : [new URL(config.advertiseUrl).hostname];
  return createHostCheck([...config.adminHosts, config.host, ...advertised]);
}
