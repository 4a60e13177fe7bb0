/**
 * The table `cemesh get` prints for a kind, from the kind's printer columns (the CRD
 * `additionalPrinterColumns` shape): NAME first, as kubectl prints it, NAMESPACE before it with `-A`, and
 * the columns of priority above 0 only with `-o wide`.
 */
import type { Resource } from '../controlplane/client/index.js';
import { compileJsonPath } from '../core/resources/json-path.js';
import type { KindEntry, PrinterColumn } from '../core/resources/kind.js';
import { ageOf } from './table.js';

interface Column {
  readonly header: string;
  readonly value: (object: Resource, now: Date) => string;
}

const name: Column = { header: 'NAME', value: (o) => o.metadata.name };
const namespace: Column = { header: 'NAMESPACE', value: (o) => o.metadata.namespace ?? '' };

export interface TableShape {
  readonly header: string[];
  row(object: Resource): string[];
}

export interface TableOptions {
  readonly allNamespaces: boolean;
  /** `-o wide`: columns of every priority. */
  readonly wide: boolean;
}

/** The table of a kind's objects. */
export function tableShape(kind: KindEntry, options: TableOptions, now: () => Date): TableShape {
  const columns = kind.printerColumns
    .filter((c) => options.wide || (c.priority ?? 0) === 0)
    .map(printerColumn);
  const all = [...(options.allNamespaces ? [namespace] : []), name, ...columns];
  return {
    header: all.map((c) => c.header),
    row: (object) => all.map((c) => c.value(object, now())),
  };
}

function printerColumn(column: PrinterColumn): Column {
  const read = compileJsonPath(column.jsonPath);
  const header = column.name.toUpperCase();
  if (column.format !== undefined) {
    const format = column.format;
    return { header, value: (o) => format(read(o)) };
  }
  if (column.type === 'date') {
    return { header, value: (o, now) => ageOf(stringOrUndefined(read(o)), now) };
  }
  return { header, value: (o) => show(read(o)) };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
