/** `cemesh describe KIND NAME -n NS`: metadata, spec, status conditions and, for brokers and triggers, recent deliveries. */
import type { Command } from 'commander';
import { yaml } from '../../core/lazy-yaml.js';
import { isClientError, resolveKind, type Client, type Resource } from '../../controlplane/client/index.js';
import { apiVersionOf, type KindEntry } from '../../core/resources/kind.js';
import { action, type Context } from '../context.js';
import { deliveriesTable, describeEvents } from '../deliveries.js';
import { ageOf, formatTable } from '../table.js';
import { DEFAULT_NAMESPACE, namespaceOrDefault } from '../../core/resources/defaults.js';

const RECENT_DELIVERIES = 10;
/** `describe event ID`: an event is no resource kind; its delivery history is what there is to describe. */
const EVENT_WORDS = new Set(['event', 'events', 'ev']);

/** The history of event `id` in one broker, or in every broker of the namespace. */
async function eventHistory(
  client: Client,
  id: string,
  options: { namespace: string; broker?: string; source?: string },
): Promise<unknown[]> {
  const brokerNames =
    options.broker !== undefined
      ? [options.broker]
      : (await client.list(resolveKind('broker'), { namespace: options.namespace })).items.map(
          (b) => b.metadata.name,
        );
  const found = await Promise.all(
    brokerNames.map((broker) =>
      client.deliveries({
        namespace: options.namespace,
        broker,
        id,
        ...(options.source === undefined ? {} : { source: options.source }),
      }),
    ),
  );
  return found.flat();
}

export function registerDescribe(program: Command, context: Context): void {
  program
    .command('describe')
    .description('show one object in detail: spec, conditions, recent deliveries')
    .argument('<kind>', 'kind, or KIND/NAME')
    .argument('[name]', 'object name')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('--broker <broker>', 'describe event: only this broker (default: every broker of the namespace)')
    .option(
      '--source <source>',
      'describe event: only the event with this source (ids are unique per source)',
    )
    .action(
      action(
        context,
        async (
          client,
          kindArg: string,
          nameArg: string | undefined,
          options: { namespace: string; broker?: string; source?: string },
        ) => {
          const [kindName = '', slashName] = kindArg.split('/', 2);
          const name = nameArg ?? slashName;
          if (name === undefined) throw new Error('describe needs a NAME (cemesh describe KIND NAME)');
          if (EVENT_WORDS.has(kindName.toLowerCase())) {
            const records = await eventHistory(client(), name, options);
            if (records.length === 0) {
              const where = options.broker === undefined ? 'any broker' : `broker ${options.broker}`;
              context.err(
                `no delivery history for event id "${name}" in ${where} of namespace ${options.namespace}`,
              );
              return 1;
            }
            context.io.stdout.write(describeEvents(records));
            return 0;
          }
          const kind = resolveKind(kindName);
          const object = await client().get(kind, name, kind.namespaced ? options.namespace : undefined);
          context.io.stdout.write(await describe(client(), kind, object));
          return 0;
        },
      ),
    );
}

async function describe(client: Client, kind: KindEntry, object: Resource): Promise<string> {
  const now = new Date();
  const meta = object.metadata;
  const lines: string[] = [];
  const field = (label: string, value: string): void => {
    lines.push(`${`${label}:`.padEnd(14)}${value}`);
  };
  field('Name', meta.name);
  if (kind.namespaced) field('Namespace', meta.namespace ?? '');
  field('Kind', `${kind.kind} (${apiVersionOf(kind)})`);
  field('Labels', pairs(meta.labels));
  field('Annotations', pairs(meta.annotations));
  field('Created', `${meta.creationTimestamp ?? '<unknown>'} (${ageOf(meta.creationTimestamp, now)} ago)`);
  field(
    'Generation',
    `${meta.generation ?? ''} (observed: ${object.status?.observedGeneration ?? 'not yet'})`,
  );
  const content = kind.content === 'data' ? { Data: object.data ?? {} } : { Spec: object.spec ?? {} };
  lines.push(yamlBlock(content));
  const { conditions = [], observedGeneration: _observed, ...rest } = object.status ?? {};
  if (Object.keys(rest).length > 0) lines.push(yamlBlock({ Status: rest }));
  lines.push('Conditions:');
  if (conditions.length === 0) lines.push('  <none yet>');
  else {
    const rows = conditions.map((c) => [
      c.type,
      c.status,
      c.reason ?? '',
      ageOf(c.lastTransitionTime, now),
      c.message ?? '',
    ]);
    lines.push(indent(formatTable(['TYPE', 'STATUS', 'REASON', 'AGE', 'MESSAGE'], rows)));
  }
  if (kind.history !== undefined) lines.push(await recentDeliveries(client, kind.history, object, now));
  return lines.join('\n').replace(/\n*$/, '\n');
}

async function recentDeliveries(
  client: Client,
  history: 'broker' | 'trigger',
  object: Resource,
  now: Date,
): Promise<string> {
  const namespace = namespaceOrDefault(object.metadata.namespace);
  const name = object.metadata.name;
  try {
    const records = await client.deliveries(
      history === 'broker'
        ? { namespace, broker: name, limit: RECENT_DELIVERIES }
        : { namespace, trigger: name, limit: RECENT_DELIVERIES },
    );
    if (records.length === 0) return 'Recent deliveries:\n  <none>';
    const table = deliveriesTable(records, now, history === 'trigger' ? name : undefined);
    return `Recent deliveries:\n${indent(table)}`;
  } catch (error) {
    // The object was shown; history is extra (the server may run without a data plane).
    if (isClientError(error)) return `Recent deliveries:\n  <unavailable: ${error.message}>`;
    throw error;
  }
}

function pairs(map: Record<string, string> | undefined): string {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v]) => `${k}=${v}`).join('\n' + ' '.repeat(14));
}

function yamlBlock(value: unknown): string {
  return yaml().stringify(value).trimEnd();
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
