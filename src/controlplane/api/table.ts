/**
 * A kind's objects as a `meta.k8s.io` Table, the server-side printing `kubectl get` asks for: NAME and the
 * kind's printer columns (the CRD `additionalPrinterColumns` shape), cells worked out the way the
 * Kubernetes API server does it for custom resources, so kubectl prints cemesh's columns (READY, REASON,
 * URL...) without knowing the kinds. Pure: the clock is a parameter.
 */
import { formatAge } from '../../core/age.js';
import { compileJsonPath } from '../../core/resources/json-path.js';
import type { KindDefinition, PrinterColumn } from '../../core/resources/index.js';
import type { Resource } from '../../core/resources/object.js';
import type { IncludeObject } from './media.js';

export interface TableColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

export interface TableRow {
  readonly cells: unknown[];
  readonly object?: unknown;
}

export interface Table {
  readonly kind: 'Table';
  readonly apiVersion: string;
  readonly metadata: { resourceVersion?: string };
  /** Left out (empty) in watch events after the first, as Kubernetes does: the client keeps the last ones. */
  readonly columnDefinitions: TableColumnDefinition[];
  readonly rows: TableRow[];
}

export interface TableOptions {
  /** `meta.k8s.io/<version>` of the Table and of the rows' PartialObjectMetadata. */
  readonly version: 'v1' | 'v1beta1';
  readonly includeObject: IncludeObject;
  /** False for watch events after the first. */
  readonly withColumns: boolean;
  readonly resourceVersion?: string;
  readonly now: Date;
}

const NAME_COLUMN: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'The name of the object, unique for its kind in its namespace.',
  priority: 0,
};

/** The Table of `objects` (already in the version the request asked for). */
export function toTable(kind: KindDefinition, objects: readonly Resource[], options: TableOptions): Table {
  const columns = kind.printerColumns.map(compileColumn);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion },
    columnDefinitions: options.withColumns ? [NAME_COLUMN, ...columns.map((c) => c.definition)] : [],
    rows: objects.map((object) => ({
      cells: [object.metadata.name, ...columns.map((c) => c.cell(object, options.now))],
      ...rowObject(object, options),
    })),
  };
}

interface CompiledColumn {
  readonly definition: TableColumnDefinition;
  readonly cell: (object: Resource, now: Date) => unknown;
}

function compileColumn(column: PrinterColumn): CompiledColumn {
  const read = compileJsonPath(column.jsonPath);
  const definition: TableColumnDefinition = {
    name: column.name,
    type: column.type,
    format: '',
    description: column.description ?? `The value at ${column.jsonPath}.`,
    priority: column.priority ?? 0,
  };
  const format = column.format;
  const cell =
    format === undefined
      ? (object: Resource, now: Date) => cellOf(column.type, read(object), now)
      : (object: Resource) => format(read(object));
  return { definition, cell };
}

/** A cell as the API server makes it for a custom resource: the typed value, or null when absent or mistyped. */
export function cellOf(type: PrinterColumn['type'], value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isNaN(time) ? '<invalid>' : formatAge(now.getTime() - time);
    }
  }
}

function rowObject(object: Resource, options: TableOptions): { object?: unknown } {
  switch (options.includeObject) {
    case 'None':
      return {};
    case 'Object':
      return { object };
    case 'Metadata':
      return {
        object: {
          kind: 'PartialObjectMetadata',
          apiVersion: `meta.k8s.io/${options.version}`,
          metadata: object.metadata,
        },
      };
  }
}
