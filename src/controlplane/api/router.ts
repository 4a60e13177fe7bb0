/**
 * Maps a control-plane URL path to what it names (ARCHITECTURE 2.4): a collection (one namespace, all
 * namespaces, or cluster-scoped), one object, or a runtime action on one object. Pure; no HTTP.
 */
import { MeshError } from '../../core/errors.js';
import { apiVersionOf, findKindByPath, type KindInfo } from '../../core/resources/kinds.js';

export type Route =
  /** `namespace` undefined: cluster-scoped kind, or every namespace of a namespaced kind. */
  | { readonly type: 'collection'; readonly kind: KindInfo; readonly namespace?: string }
  | { readonly type: 'item'; readonly kind: KindInfo; readonly namespace?: string; readonly name: string }
  | {
      readonly type: 'action';
      readonly kind: KindInfo;
      readonly namespace?: string;
      readonly name: string;
      readonly action: string;
    };

/** `brokers.eventing.knative.dev`, or `configmaps` for the core group: how Kubernetes names a resource type. */
export function resourceName(kind: KindInfo): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

/** The collection path of a kind, e.g. `/apis/eventing.knative.dev/v1/namespaces/default/brokers`. */
export function collectionPath(kind: KindInfo, namespace?: string): string {
  const base = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns = kind.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${kind.plural}`;
}

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

  const kind = findKindByPath(group, version, plural);
  if (kind === undefined) {
    const groupVersion = group === '' ? version : `${group}/${version}`;
    throw new MeshError(
      'MESH_KIND_UNKNOWN',
      `the server does not serve resource "${plural}" in API version "${groupVersion}"`,
    );
  }
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
    return namespace === undefined ? { type: 'collection', kind } : { type: 'collection', kind, namespace };
  const base = namespace === undefined ? { kind, name } : { kind, namespace, name };
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
