/**
 * `cemesh create broker NAME` and `cemesh create trigger NAME --broker B --sink S --filter k=v`, with the
 * flags of `kn broker create` and `kn trigger create`, so users of kn keep their habits; and
 * `cemesh create KIND NAME` for every other kind that declares a sample in its catalog entry, starting from it.
 * Each builds the manifest and POSTs it; an object that exists is refused, as kubectl create refuses it.
 */
import type { Command } from 'commander';
import { yaml } from '../../core/lazy-yaml.js';
import { resolveKind, type Client, type Resource } from '../../controlplane/client/index.js';
import { allKinds } from '../../core/resources/catalog.js';
import { sampleObject, type KindEntry } from '../../core/resources/kind.js';
import { action, type Context } from '../context.js';
import { objectLabel } from '../names.js';
import { DEFAULT_NAMESPACE } from '../../core/resources/defaults.js';

interface CommonOptions {
  namespace: string;
  dryRun?: boolean;
}

/** kn's sink prefixes (`kn help sink`); a bare name is a Knative Service, as in kn. */
const SINK_PREFIXES: Record<string, { apiVersion: string; kind: string }> = {
  ksvc: { apiVersion: 'serving.knative.dev/v1', kind: 'Service' },
  service: { apiVersion: 'v1', kind: 'Service' },
  svc: { apiVersion: 'v1', kind: 'Service' },
  broker: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker' },
};

/** A kn `--sink`: `http(s)://...`, `PREFIX:NAME[:NAMESPACE]`, or a bare Knative Service name. */
export function parseSink(text: string): Record<string, unknown> {
  if (/^https?:\/\//.test(text)) {
    try {
      return { uri: new URL(text).toString() };
    } catch {
      throw new Error(`--sink "${text}" is not a valid URL`);
    }
  }
  const [first = '', second, third] = text.split(':');
  const prefix = second === undefined ? 'ksvc' : first.toLowerCase();
  const name = second === undefined ? first : second;
  const target = SINK_PREFIXES[prefix];
  if (target === undefined || name === '' || text.split(':').length > 3) {
    throw new Error(
      `--sink "${text}": use a URL (http://host/path), NAME (a Knative Service) or PREFIX:NAME[:NAMESPACE] with PREFIX one of ${Object.keys(SINK_PREFIXES).join(', ')}`,
    );
  }
  return { ref: { ...target, name, ...(third ? { namespace: third } : {}) } };
}

/** `--filter type=x` (repeatable) into attribute filters; `--filter type-` is kn's removal, not valid here. */
export function parseFilters(pairs: readonly string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1)
      throw new Error(`--filter "${pair}": write ATTRIBUTE=VALUE, e.g. --filter type=order.created`);
    attributes[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return attributes;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerCreate(program: Command, context: Context): void {
  const create = program
    .command('create')
    .description("create an object: a broker or a trigger from kn's flags, another kind from its sample");

  create
    .command('broker')
    .description('create a broker: cemesh create broker NAME [--class MTChannelBasedBroker] [--dl-sink SINK]')
    .argument('<name>', 'broker name')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('--class <class>', 'broker class (eventing.knative.dev/broker.class)')
    .option('--dl-sink <sink>', 'dead letter sink: URL, NAME or PREFIX:NAME')
    .option('--dry-run', 'print the manifest (yaml) instead of creating it')
    .action(
      action(
        context,
        async (client, name: string, options: CommonOptions & { class?: string; dlSink?: string }) => {
          const broker: Resource = {
            apiVersion: 'eventing.knative.dev/v1',
            kind: 'Broker',
            metadata: {
              name,
              namespace: options.namespace,
              ...(options.class
                ? { annotations: { 'eventing.knative.dev/broker.class': options.class } }
                : {}),
            },
            ...(options.dlSink ? { spec: { delivery: { deadLetterSink: parseSink(options.dlSink) } } } : {}),
          };
          return submit(context, client, broker, options);
        },
      ),
    );

  create
    .command('trigger')
    .description('create a trigger: cemesh create trigger NAME --broker B --sink SINK [--filter type=x]...')
    .argument('<name>', 'trigger name')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('-b, --broker <broker>', 'the broker the trigger subscribes to', 'default')
    .requiredOption('-s, --sink <sink>', 'subscriber: URL, NAME (Knative Service) or PREFIX:NAME[:NAMESPACE]')
    .option('--filter <attribute=value>', 'exact attribute filter, repeatable (all must match)', collect)
    .option('--dry-run', 'print the manifest (yaml) instead of creating it')
    .action(
      action(
        context,
        async (
          client,
          name: string,
          options: CommonOptions & { broker: string; sink: string; filter?: string[] },
        ) => {
          const attributes = parseFilters(options.filter ?? []);
          const trigger: Resource = {
            apiVersion: 'eventing.knative.dev/v1',
            kind: 'Trigger',
            metadata: { name, namespace: options.namespace },
            spec: {
              broker: options.broker,
              ...(Object.keys(attributes).length > 0 ? { filter: { attributes } } : {}),
              subscriber: parseSink(options.sink),
            },
          };
          return submit(context, client, trigger, options);
        },
      ),
    );
  registerFromSamples(create, context);
}

/** The kinds `create` builds from kn's flags above; every other kind with a sample is created from it. */
const FROM_FLAGS = new Set(['broker', 'trigger']);

function registerFromSamples(create: Command, context: Context): void {
  for (const kind of allKinds()) {
    if (kind.sample === undefined || FROM_FLAGS.has(kind.singular)) continue;
    const command = create
      .command(kind.singular)
      .aliases(kind.shortNames)
      .description(`create a ${kind.kind} from its sample (edit it with --dry-run and apply -f)`)
      .argument('[name]', `${kind.singular} name (default ${kind.sample.name})`)
      .option('--dry-run', 'print the manifest (yaml) instead of creating it');
    if (kind.namespaced) command.option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE);
    command.action(
      action(context, async (client, name: string | undefined, options: Partial<CommonOptions>) =>
        submit(context, client, fromSample(kind, options.namespace, name), options),
      ),
    );
  }
}

function fromSample(kind: KindEntry, namespace: string | undefined, name: string | undefined): Resource {
  const object = sampleObject(kind, namespace, name);
  if (object === undefined) throw new Error(`${kind.kind} has no sample`);
  return object;
}

async function submit(
  context: Context,
  client: () => Client,
  object: Resource,
  options: Pick<CommonOptions, 'dryRun'>,
): Promise<number> {
  if (options.dryRun) {
    context.out(yaml().stringify(object));
    return 0;
  }
  await client().create(object);
  context.out(`${objectLabel(resolveKind(object.kind), object.metadata.name)} created`);
  return 0;
}
