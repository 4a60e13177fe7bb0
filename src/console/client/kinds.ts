/**
 * The kinds this server serves, read from API discovery (`/api/v1`, `/apis`, `/apis/{group}/{version}`,
 * docs/api.md), never hard-coded: a kind the server adds (Function, EventPolicy...) shows up in the
 * console's generic views by itself. Pure path helpers beside the loader.
 */
import { getJson } from './api.js';
import type { Resource } from './types.js';

export type { Resource } from './types.js';

export interface Kind {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Runtime routes, e.g. `stats`, `redeliver`. */
  readonly subresources: readonly string[];
  /** What `cemesh get` prints for the kind (discovery's `additionalPrinterColumns`). */
  readonly columns: readonly PrinterColumn[];
  /** A valid new object to start from (cemesh's discovery extension), without a namespace. */
  readonly sample?: Resource;
}

export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly priority?: number;
}

interface ResourceList {
  groupVersion: string;
  resources: {
    name: string;
    kind: string;
    namespaced: boolean;
    additionalPrinterColumns?: PrinterColumn[];
    sample?: Resource;
  }[];
}

export function apiVersionOf(kind: Kind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** The collection path: one namespace, or every namespace (namespace undefined), or cluster-scoped. */
export function collectionPath(kind: Kind, namespace?: string): string {
  const base = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns = kind.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${kind.plural}`;
}

export function objectPath(kind: Kind, object: Pick<Resource, 'metadata'>): string {
  return `${collectionPath(kind, object.metadata.namespace)}/${encodeURIComponent(object.metadata.name)}`;
}

export async function discoverKinds(): Promise<Kind[]> {
  const groups = await getJson<{ groups: { versions: { groupVersion: string }[] }[] }>('/apis');
  const groupVersions = ['v1', ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
  const lists = await Promise.all(
    groupVersions.map((gv) => getJson<ResourceList>(gv === 'v1' ? '/api/v1' : `/apis/${gv}`)),
  );
  return lists.flatMap((list) => kindsOf(list));
}

function kindsOf(list: ResourceList): Kind[] {
  const [group, version] = list.groupVersion.includes('/')
    ? (list.groupVersion.split('/') as [string, string])
    : ['', list.groupVersion];
  const main = list.resources.filter((r) => !r.name.includes('/'));
  return main.map((r) => ({
    kind: r.kind,
    group,
    version,
    plural: r.name,
    namespaced: r.namespaced,
    columns: (r.additionalPrinterColumns ?? []).filter((c) => (c.priority ?? 0) === 0),
    ...(r.sample === undefined ? {} : { sample: r.sample }),
    subresources: list.resources
      .filter((s) => s.name.startsWith(`${r.name}/`))
      .map((s) => s.name.slice(r.name.length + 1)),
  }));
}

export function findKind(kinds: readonly Kind[], kind: string): Kind | undefined {
  return kinds.find((k) => k.kind === kind);
}
