/**
 * kubectl's `-o` formats for `get`: table (the default), wide, yaml, json, name and jsonpath=TEMPLATE
 * (also `jsonpath-file=FILE`). One printer per format, compiled once per command.
 */
import { yaml } from '../core/lazy-yaml.js';
import type { Resource } from '../controlplane/client/index.js';
import type { KindEntry } from '../core/resources/kind.js';
import { tableShape, type TableShape } from './columns.js';
import { compileJsonPathTemplate } from './jsonpath.js';
import { objectLabel } from './names.js';
import { formatTable } from './table.js';

export const OUTPUT_FORMATS = [
  'table',
  'wide',
  'yaml',
  'json',
  'name',
  'jsonpath=TEMPLATE',
  'jsonpath-file=FILE',
];

export type Format =
  | { readonly kind: 'table' | 'wide' | 'yaml' | 'json' | 'name' }
  | { readonly kind: 'jsonpath'; readonly print: (value: unknown) => string };

export function parseFormat(text: string, readFile: (path: string) => string): Format {
  if (text === 'table' || text === 'wide' || text === 'yaml' || text === 'json' || text === 'name')
    return { kind: text };
  const eq = text.indexOf('=');
  const name = eq === -1 ? text : text.slice(0, eq);
  if (name === 'jsonpath' || name === 'jsonpath-file') {
    if (eq === -1 || eq === text.length - 1)
      throw new Error(`-o ${name} needs a ${name === 'jsonpath' ? 'template' : 'file'}: -o ${name}=...`);
    const value = text.slice(eq + 1);
    return {
      kind: 'jsonpath',
      print: compileJsonPathTemplate(name === 'jsonpath' ? value : readFile(value)),
    };
  }
  throw new Error(`unknown output format "${text}": use ${OUTPUT_FORMATS.join(', ')}`);
}

export function isTable(format: Format): boolean {
  return format.kind === 'table' || format.kind === 'wide';
}

export function shapeFor(kind: KindEntry, format: Format, allNamespaces: boolean): TableShape {
  return tableShape(kind, { allNamespaces, wide: format.kind === 'wide' }, () => new Date());
}

/** One object, or a list as kubectl prints it (`kind: List` for yaml/json/jsonpath). */
export function formatObjects(
  kind: KindEntry,
  items: readonly Resource[],
  how: { single: boolean; allNamespaces: boolean; format: Format },
): string {
  const { format } = how;
  const value = how.single ? items[0] : { apiVersion: 'v1', kind: 'List', items };
  switch (format.kind) {
    case 'json':
      return `${JSON.stringify(value, null, 2)}\n`;
    case 'yaml':
      return yaml().stringify(value);
    case 'name':
      return items.map((o) => `${objectLabel(kind, o.metadata.name)}\n`).join('');
    case 'jsonpath':
      return format.print(value);
    default: {
      const shape = shapeFor(kind, format, how.allNamespaces);
      return formatTable(shape.header, items.map(shape.row));
    }
  }
}

/** One change of a watch, for the formats that are not tables. */
export function formatChange(kind: KindEntry, type: string, object: Resource, format: Format): string {
  switch (format.kind) {
    case 'json':
      return `${JSON.stringify({ type, object })}\n`;
    case 'yaml':
      return `---\n${yaml().stringify({ type, object })}`;
    case 'name':
      return `${objectLabel(kind, object.metadata.name)}\n`;
    case 'jsonpath':
      return format.print(object);
    default:
      throw new Error(`a table is printed row by row`);
  }
}
