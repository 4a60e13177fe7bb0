/** `cemesh get KIND [NAME] [-n NS | -A] [-o table|wide|yaml|json] [-w] [-l SELECTOR]`. */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { resolveKind, type Client, type Resource } from '../../controlplane/client/index.js';
import type { KindDefinition } from '../../core/resources/index.js';
import { tableShape } from '../columns.js';
import { action, type Context } from '../context.js';
import { columnWidths, formatRow, formatTable } from '../table.js';

interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  output: string;
  watch?: boolean;
  selector?: string;
}

/** `table` prints the columns of priority 0, `wide` every column (kubectl's `-o wide`). */
const formats = ['table', 'wide', 'yaml', 'json'];
const tables = new Set(['table', 'wide']);

export function registerGet(program: Command, context: Context): void {
  program
    .command('get')
    .description(
      'list objects of a kind, or show one (KIND: singular, plural or short name, e.g. brokers, trigger, ns)',
    )
    .argument('<kind>', 'kind, or KIND/NAME')
    .argument('[name]', 'one object')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'every namespace')
    .option('-o, --output <format>', `output format: ${formats.join(', ')}`, 'table')
    .option('-w, --watch', 'after listing, print changes as they happen')
    .option('-l, --selector <selector>', 'label selector: k=v, k!=v, k, !k; comma = and')
    .action(
      action(context, async (client, kindArg: string, nameArg: string | undefined, options: GetOptions) => {
        if (!formats.includes(options.output)) {
          throw new Error(`unknown output format "${options.output}": use ${formats.join(', ')}`);
        }
        const [kindName = '', slashName] = kindArg.split('/', 2);
        const kind = resolveKind(kindName);
        const name = nameArg ?? slashName;
        const namespace = kind.namespaced && !options.allNamespaces ? options.namespace : undefined;
        const all = kind.namespaced && options.allNamespaces === true;
        if (options.watch) return watch(context, client(), kind, { ...options, name, namespace, all });
        if (name !== undefined) {
          const object = await client().get(kind, name, namespace);
          printObjects(context, kind, [object], { single: true, all, format: options.output });
          return 0;
        }
        const list = await client().list(kind, { namespace, labelSelector: options.selector });
        if (list.items.length === 0 && tables.has(options.output)) {
          context.err(
            namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`,
          );
          return 0;
        }
        printObjects(context, kind, list.items, { single: false, all, format: options.output });
        return 0;
      }),
    );
}

function printObjects(
  context: Context,
  kind: KindDefinition,
  items: Resource[],
  how: { single: boolean; all: boolean; format: string },
): void {
  const value = how.single ? items[0] : { apiVersion: 'v1', kind: 'List', items };
  if (how.format === 'json') context.out(JSON.stringify(value, null, 2));
  else if (how.format === 'yaml') context.out(stringify(value));
  else {
    const shape = tableShape(kind, { allNamespaces: how.all, wide: how.format === 'wide' }, () => new Date());
    context.io.stdout.write(formatTable(shape.header, items.map(shape.row)));
  }
}

/**
 * Lists, prints, then follows the changes from the list's resourceVersion (so nothing between the two is
 * missed) until the stream ends or the program's signal aborts. Tables keep the widths of the first print.
 */
async function watch(
  context: Context,
  client: Client,
  kind: KindDefinition,
  options: GetOptions & { name: string | undefined; namespace: string | undefined; all: boolean },
): Promise<number> {
  const selects = (o: Resource): boolean => options.name === undefined || o.metadata.name === options.name;
  const list = await client.list(kind, { namespace: options.namespace, labelSelector: options.selector });
  const items = list.items.filter(selects);
  const shape = tableShape(
    kind,
    { allNamespaces: options.all, wide: options.output === 'wide' },
    () => new Date(),
  );
  let widths = columnWidths(shape.header, items.map(shape.row));
  let headerPrinted = false;
  const print = (type: string, object: Resource): void => {
    if (options.output === 'json') context.out(JSON.stringify({ type, object }));
    else if (options.output === 'yaml') context.out(`---\n${stringify({ type, object })}`);
    else {
      const row = shape.row(object);
      if (!headerPrinted) {
        widths = columnWidths(shape.header, [row]).map((w, i) => Math.max(w, widths[i] ?? 0));
        context.out(formatRow(shape.header, widths));
        headerPrinted = true;
      }
      context.out(formatRow(row, widths));
    }
  };
  for (const object of items) print('ADDED', object);
  const changes = client.watch(kind, {
    namespace: options.namespace,
    labelSelector: options.selector,
    resourceVersion: list.metadata.resourceVersion,
    signal: context.signal,
  });
  for await (const change of changes) {
    if (selects(change.object)) print(change.type, change.object);
  }
  return 0;
}
