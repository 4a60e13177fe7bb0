/**
 * Maps a control-plane URL path to what it names (ARCHITECTURE 2.4): a collection (one namespace, all
 * namespaces, or cluster-scoped), one object, or a runtime action on one object. Pure; no HTTP.
 */
import { MeshError } from '../../core/errors.js';
import {
  apiVersionOf,
  collectionPath,
  findKindByPath,
  resourceName,
  type KindDefinition,
  type KindVersion,
} from '../../core/resources/index.js';

/** The kind a path names, and the version of it the path asks for (objects are written and read in it). */
interface Served {
  readonly kind: KindDefinition;
  readonly version: KindVersion;
}

export type Route =
  /** `namespace` undefined: cluster-scoped kind, or every namespace of a namespaced kind. */
  | (Served & { readonly type: 'collection'; readonly namespace?: string })
  | (Served & { readonly type: 'item'; readonly namespace?: string; readonly name: string })
  | (Served & {
      readonly type: 'action';
      readonly namespace?: string;
      readonly name: string;
      readonly action: string;
    });

export { collectionPath, resourceName };

/**
 * Parses a path. Returns undefined when the path is not under `/api/` or `/apis/` at all; throws
 * MESH_KIND_UNKNOWN for an unknown group/version/plural and MESH_NOT_FOUND for other unserved paths.
 */
export function parseApiPath(pathname: string): Route | undefined {
  const raw = pathname.split('/').slice(1);
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const segments = raw.map(decodeSegment);
  let group: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    group = '';
    rest = segments.slice(1);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1] ?? '';
    rest = segments.slice(2);
  } else {
    return undefined;
  }
  const version = rest[0] ?? '';
  rest = rest.slice(1);
  if (rest.length === 0 || rest.includes('')) throw notFound(pathname);

  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const namespace = namespaced ? rest[1] : undefined;
  const tail = namespaced ? rest.slice(2) : rest;
  const [plural = '', name, action, ...extra] = tail;
  if (extra.length > 0) throw notFound(pathname);

  const served = findKindByPath(group, version, plural);
  if (served === undefined) {
    const groupVersion = group === '' ? version : `${group}/${version}`;
    throw new MeshError(
      'MESH_KIND_UNKNOWN',
      `the server does not serve resource "${plural}" in API version "${groupVersion}"`,
    );
  }
  const { kind } = served;
  if (namespaced && !kind.namespaced) {
    throw new MeshError(
      'MESH_NOT_FOUND',
      `${resourceName(kind)} (${kind.kind}) is cluster-scoped: use ${collectionPath(kind)} without a namespace`,
    );
  }
  if (!namespaced && kind.namespaced && name !== undefined) {
    throw new MeshError(
      'MESH_NOT_FOUND',
      `${resourceName(kind)} (${kind.kind}, ${apiVersionOf(kind)}) is namespaced: use ${collectionPath(kind, '{namespace}')}/${name}`,
    );
  }
  if (name === undefined)
    return namespace === undefined
      ? { type: 'collection', ...served }
      : { type: 'collection', ...served, namespace };
  const base = namespace === undefined ? { ...served, name } : { ...served, namespace, name };
  if (action === undefined) return { type: 'item', ...base };
  return { type: 'action', ...base, action };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `the path segment "${segment}" is not valid percent-encoding`,
    );
  }
}

function notFound(pathname: string): MeshError {
  return new MeshError('MESH_NOT_FOUND', `the server could not find the requested resource: ${pathname}`);
}
