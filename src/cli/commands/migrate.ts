/**
 * `cemesh migrate broker NAME --to memory|embedded|jetstream [-n NS]`: moves an existing broker's pending
 * events and retries to another storage (docs/decisions/broker-migration.md). It sets the broker's
 * `eventing.cemesh.dev/persistence` annotation, which is the whole request, then waits until the broker's
 * status says where its events are and prints what moved.
 */
import type { Command } from 'commander';
import { resolveKind, type Client, type Resource } from '../../controlplane/client/index.js';
import { DEFAULT_NAMESPACE } from '../../core/resources/defaults.js';
import { PERSISTENCE_ANNOTATION } from '../../core/resources/namespace/types.js';
import { isPersistenceKind, persistenceKinds } from '../../core/resources/persistence-kind.js';
import { action, type Context } from '../context.js';
import { parseTimeout } from './wait.js';

interface MigrateOptions {
  to: string;
  namespace: string;
  timeout: string;
}

interface MigrationStatus {
  from?: string;
  to?: string;
  events?: number;
  deliveries?: number;
  retries?: number;
  error?: string;
  at?: string;
}

const POLL_MS = 200;

export function registerMigrate(program: Command, context: Context): void {
  program
    .command('migrate')
    .description("move a broker's pending events and retries to another storage, and report what moved")
    .argument('<kind>', 'broker')
    .argument('<name>', 'broker name')
    .requiredOption('--to <storage>', `the new storage: ${persistenceKinds.join(', ')}`)
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('--timeout <duration>', 'give up waiting after this long: 30s, 2m', '2m')
    .action(
      action(context, async (client, kindArg: string, name: string, options: MigrateOptions) => {
        const kind = resolveKind(kindArg);
        if (kind.kind !== 'Broker') throw new Error(`only brokers can be migrated, not ${kind.plural}`);
        const to = options.to;
        if (!isPersistenceKind(to))
          throw new Error(`--to "${to}" is not a storage; use one of ${persistenceKinds.join(', ')}`);
        const timeoutMs = parseTimeout(options.timeout);
        const api = client();
        const before = await api.get(kind, name, options.namespace);
        const label = `broker/${name}`;
        if (persistenceOf(before) === to) {
          context.out(`${label} already stores its events in ${to}; nothing to move`);
          return 0;
        }
        const earlier = migrationOf(before)?.at;
        await api.patch(
          kind,
          name,
          { metadata: { annotations: { [PERSISTENCE_ANNOTATION]: to } } },
          options.namespace,
        );
        const outcome = await settle(
          api,
          kind,
          name,
          options.namespace,
          to,
          earlier,
          timeoutMs,
          context.signal,
        );
        if (outcome === undefined) {
          context.err(
            `error: timed out waiting for ${label} to move to ${to}; its status.migration will say how it ended`,
          );
          return 1;
        }
        if (outcome.error !== undefined) {
          context.err(
            `error: ${label} was not moved (it stays on ${outcome.from ?? 'its storage'}): ${outcome.error}`,
          );
          return 1;
        }
        context.out(
          `${label} moved from ${outcome.from ?? '?'} to ${to}: ${outcome.events ?? 0} events, ` +
            `${outcome.deliveries ?? 0} pending deliveries (${outcome.retries ?? 0} of them retries)`,
        );
        return 0;
      }),
    );
}

/** Polls the broker until its status shows the move done, or a migration record newer than `earlier`. */
async function settle(
  api: Client,
  kind: ReturnType<typeof resolveKind>,
  name: string,
  namespace: string,
  to: string,
  earlier: string | undefined,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<MigrationStatus | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const broker = await api.get(kind, name, namespace);
    const migration = migrationOf(broker);
    const fresh = migration !== undefined && migration.to === to && migration.at !== earlier;
    if (persistenceOf(broker) === to) return fresh ? migration : { to, events: 0, deliveries: 0, retries: 0 };
    if (fresh && migration.error !== undefined) return migration;
    if (Date.now() >= deadline || signal.aborted) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function persistenceOf(broker: Resource): string | undefined {
  const persistence = broker.status?.['persistence'] as { kind?: unknown } | undefined;
  return typeof persistence?.kind === 'string' ? persistence.kind : undefined;
}

function migrationOf(broker: Resource): MigrationStatus | undefined {
  const migration = broker.status?.['migration'];
  return typeof migration === 'object' && migration !== null ? (migration as MigrationStatus) : undefined;
}
