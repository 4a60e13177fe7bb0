/**
 * API discovery as Kubernetes serves it (`/api`, `/apis`, `/api/v1`, `/apis/{group}/{version}`): which
 * groups, versions and kinds this server has, so clients (the console, kubectl-like tools) list kinds from
 * the server instead of hard-coding them. Runtime routes appear as subresources (`brokers/stats`).
 */
import { allKinds, groupVersion, sampleObject, type KindDefinition } from '../../core/resources/index.js';
import { actionsOf } from './actions.js';

const OBJECT_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** The discovery document of a path, or undefined when the path is not a discovery path. */
export function discover(path: string): Record<string, unknown> | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments[0] === 'api') {
    if (segments.length === 1) return { kind: 'APIVersions', versions: versionsOf('') };
    if (segments.length === 2) return resourceList('', segments[1] ?? '');
    return undefined;
  }
  if (segments[0] !== 'apis') return undefined;
  if (segments.length === 1) return groupList();
  if (segments.length === 3) return resourceList(segments[1] ?? '', segments[2] ?? '');
  return undefined;
}

/** A group's versions, the storage versions first (the first is the preferred one). */
function versionsOf(group: string): string[] {
  const inGroup = allKinds().filter((k) => k.group === group);
  const storage = inGroup.map((k) => k.storageVersion);
  return [...new Set([...storage, ...inGroup.flatMap((k) => k.versions.map((v) => v.name))])];
}

function groupList(): Record<string, unknown> {
  const groups = [...new Set(allKinds().map((k) => k.group))].filter((g) => g !== '');
  const documents = groups.map((name) => {
    const versions = versionsOf(name).map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions, preferredVersion: versions[0] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: documents };
}

function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const served = allKinds().filter((k) => k.group === group && k.versions.some((v) => v.name === version));
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: served.flatMap((kind) => [resourceOf(kind, version), ...subresourcesOf(kind)]),
  };
}

function resourceOf(kind: KindDefinition, version: string): Record<string, unknown> {
  // Also cemesh's own: a valid new object to start from (the console's New), in the storage version only.
  const sample = version === kind.storageVersion ? sampleObject(kind, undefined) : undefined;
  return {
    name: kind.plural,
    singularName: kind.singular,
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs: OBJECT_VERBS,
    shortNames: kind.shortNames,
    categories: kind.categories,
    // Not in Kubernetes discovery (its CRDs carry these): what `cemesh get` prints, so any client (the
    // console's generic lists) shows the same columns without knowing the kind.
    additionalPrinterColumns: kind.printerColumns.map((c) => ({
      name: c.name,
      type: c.type,
      jsonPath: c.jsonPath,
      ...(c.priority === undefined ? {} : { priority: c.priority }),
      ...(c.description === undefined ? {} : { description: c.description }),
    })),
    ...(sample === undefined ? {} : { sample }),
  };
}

function subresourcesOf(kind: KindDefinition): Record<string, unknown>[] {
  return actionsOf(kind.kind).map((action) => ({
    name: `${kind.plural}/${action.name}`,
    singularName: '',
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs: [action.verb],
  }));
}
