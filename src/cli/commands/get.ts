/** `cemesh get KIND [NAME] [-n NS | -A] [-o FORMAT] [-w] [-l SELECTOR]`. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveKind, type Client, type Resource } from '../../controlplane/client/index.js';
import type { KindEntry } from '../../core/resources/kind.js';
import { action, type Context } from '../context.js';
import {
  formatChange,
  formatObjects,
  isTable,
  OUTPUT_FORMATS,
  parseFormat,
  shapeFor,
  type Format,
} from '../output.js';
import { columnWidths, formatRow } from '../table.js';
import { DEFAULT_NAMESPACE } from '../../core/resources/defaults.js';

interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  output: string;
  watch?: boolean;
  selector?: string;
}

export function registerGet(program: Command, context: Context): void {
  program
    .command('get')
    .description(
      'list objects of a kind, or show one (KIND: singular, plural or short name, e.g. brokers, trigger, ns)',
    )
    .argument('<kind>', 'kind, or KIND/NAME')
    .argument('[name]', 'one object')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('-A, --all-namespaces', 'every namespace')
    .option('-o, --output <format>', `output format: ${OUTPUT_FORMATS.join(', ')}`, 'table')
    .option('-w, --watch', 'after listing, print changes as they happen')
    .option('-l, --selector <selector>', 'label selector: k=v, k!=v, k, !k; comma = and')
    .action(
      action(context, async (client, kindArg: string, nameArg: string | undefined, options: GetOptions) => {
        const format = parseFormat(options.output, (file) => readFileSync(context.path(file), 'utf8'));
        const [kindName = '', slashName] = kindArg.split('/', 2);
        const kind = resolveKind(kindName);
        const name = nameArg ?? slashName;
        const namespace = kind.namespaced && !options.allNamespaces ? options.namespace : undefined;
        const all = kind.namespaced && options.allNamespaces === true;
        if (options.watch)
          return watch(context, client(), kind, format, { ...options, name, namespace, all });
        if (name !== undefined) {
          const object = await client().get(kind, name, namespace);
          context.io.stdout.write(
            formatObjects(kind, [object], { single: true, allNamespaces: all, format }),
          );
          return 0;
        }
        const list = await client().list(kind, { namespace, labelSelector: options.selector });
        if (list.items.length === 0 && (isTable(format) || format.kind === 'name')) {
          context.err(
            namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`,
          );
          return 0;
        }
        context.io.stdout.write(
          formatObjects(kind, list.items, { single: false, allNamespaces: all, format }),
        );
        return 0;
      }),
    );
}

/**
 * Lists, prints, then follows the changes from the list's resourceVersion (so nothing between the two is
 * missed) until the stream ends or the program's signal aborts. Tables keep the widths of the first print.
 */
async function watch(
  context: Context,
  client: Client,
  kind: KindEntry,
  format: Format,
  options: GetOptions & { name: string | undefined; namespace: string | undefined; all: boolean },
): Promise<number> {
  const selects = (o: Resource): boolean => options.name === undefined || o.metadata.name === options.name;
  const list = await client.list(kind, { namespace: options.namespace, labelSelector: options.selector });
  const items = list.items.filter(selects);
  const shape = shapeFor(kind, format, options.all);
  let widths = columnWidths(shape.header, items.map(shape.row));
  let headerPrinted = false;
  const print = (type: string, object: Resource): void => {
    if (!isTable(format)) context.io.stdout.write(formatChange(kind, type, object, format));
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
