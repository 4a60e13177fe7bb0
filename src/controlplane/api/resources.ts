/**
 * The resource verbs of ARCHITECTURE 2.4: list (with label selectors and watch), get, create, replace,
 * merge-patch and delete, over the ResourceStore. Errors are MeshErrors with Kubernetes-style messages.
 */
import { isMeshError, MeshError } from '../../core/errors.js';
import {
  allKinds,
  fromStorage,
  groupVersion,
  toStorage,
  type KindDefinition,
  type ServedKind,
} from '../../core/resources/index.js';
import type { Resource } from '../../core/resources/object.js';
import type { ResourceKey } from '../../store/contracts.js';
import { admitCreate, admitUpdate, conformToTarget, objectName } from './admission.js';
import { fieldValidationOf, withFieldValidation, type FieldValidation } from './field-validation.js';
import { parseJsonObject } from './body.js';
import { matchesSelector, parseLabelSelector } from './labels.js';
import { parsePatch, patchDocument } from './patch.js';
import type { ApiRequest, ApiResult, CoreDeps } from './types.js';
import { watchObjects, type WatchLine } from './watch.js';
import { includeObjectOf } from './media.js';
import { toTable, type Table } from './table.js';
import { DEFAULT_NAMESPACE, NAMESPACE_KIND } from '../../core/resources/defaults.js';

export { DEFAULT_NAMESPACE };

/** Unconditional writes (no resourceVersion sent) retry this often when a concurrent write wins. */
const UNCONDITIONAL_ATTEMPTS = 5;

export async function handleCollection(deps: CoreDeps, req: ApiRequest): Promise<ApiResult> {
  if (req.route.type !== 'collection') throw new Error('not a collection route');
  const { kind, namespace } = req.route;
  if (req.method === 'GET') return list(deps, req, req.route, namespace);
  if (req.method === 'POST' && (namespace !== undefined || !kind.namespaced)) {
    return create(deps, req, req.route, namespace);
  }
  throw methodNotAllowed(req.method, kind.namespaced && namespace === undefined ? 'GET' : 'GET, POST');
}

export async function handleItem(deps: CoreDeps, req: ApiRequest): Promise<ApiResult> {
  if (req.route.type !== 'item') throw new Error('not an item route');
  const { kind, namespace, name } = req.route;
  const served: ServedKind = req.route;
  const key: ResourceKey =
    namespace === undefined ? { kind: kind.kind, name } : { kind: kind.kind, namespace, name };
  const answer = (object: Resource, warnings?: string[], status = 200): ApiResult => ({
    status,
    body: fromStorage(served, object),
    ...(warnings === undefined ? {} : { warnings }),
  });
  switch (req.method) {
    case 'GET': {
      const object = fromStorage(served, await getOrThrow(deps, kind, key));
      if (req.representation.as === 'object') return { status: 200, body: object };
      const resourceVersion = object.metadata.resourceVersion;
      return { status: 200, body: tableOf(deps, req, served, [object], resourceVersion) };
    }
    case 'PUT': {
      const written = await replace(deps, req, served, key);
      return answer(written.object, written.warnings);
    }
    case 'PATCH': {
      const written = await patch(deps, req, served, key);
      return answer(written.object, written.warnings, written.created ? 201 : 200);
    }
    case 'DELETE':
      return answer(await remove(deps, kind, key));
    default:
      throw methodNotAllowed(req.method, 'GET, PUT, PATCH, DELETE');
  }
}

async function list(
  deps: CoreDeps,
  req: ApiRequest,
  served: ServedKind,
  namespace?: string,
): Promise<ApiResult> {
  const { kind } = served;
  const selector = parseLabelSelector(req.query.get('labelSelector') ?? '');
  if (req.representation.as === 'Table') includeObjectOf(req.query);
  if (isTrue(req.query.get('watch'))) {
    const resourceVersion = req.query.get('resourceVersion') ?? undefined;
    const options = { served, selector, signal: req.signal };
    const lines = watchObjects(deps.store, {
      ...options,
      ...(namespace === undefined ? {} : { namespace }),
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    });
    return {
      status: 200,
      lines: req.representation.as === 'Table' ? watchTables(deps, req, served, lines) : lines,
    };
  }
  // Read the version before listing: a watch resumed from it may repeat a change, but never misses one.
  const resourceVersion = deps.store.currentVersion();
  const items = (await deps.store.list(kind.kind, namespace))
    .filter((o) => matchesSelector(selector, o.metadata.labels))
    .map((o) => fromStorage(served, o));
  if (req.representation.as === 'Table')
    return { status: 200, body: tableOf(deps, req, served, items, resourceVersion) };
  const apiVersion = groupVersion(kind.group, served.version.name);
  return {
    status: 200,
    body: { apiVersion, kind: `${kind.kind}List`, metadata: { resourceVersion }, items },
  };
}

function tableOf(
  deps: CoreDeps,
  req: ApiRequest,
  served: ServedKind,
  objects: readonly Resource[],
  resourceVersion: string | undefined,
  withColumns = true,
): Table {
  if (req.representation.as !== 'Table') throw new Error('not a Table request');
  return toTable(served.kind, objects, {
    version: req.representation.version,
    includeObject: includeObjectOf(req.query),
    withColumns,
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    now: deps.now(),
  });
}

/** A watch of Tables: each event's object is a one-row Table; only the first carries the columns. */
async function* watchTables(
  deps: CoreDeps,
  req: ApiRequest,
  served: ServedKind,
  lines: AsyncIterable<WatchLine>,
): AsyncGenerator<unknown> {
  let first = true;
  for await (const line of lines) {
    const version = line.object.metadata.resourceVersion;
    yield { type: line.type, object: tableOf(deps, req, served, [line.object], version, first) };
    first = false;
  }
}

async function create(
  deps: CoreDeps,
  req: ApiRequest,
  served: ServedKind,
  namespace?: string,
): Promise<ApiResult> {
  const mode = fieldValidationOf(req.query);
  const body = parseJsonObject(req.body ?? Buffer.alloc(0));
  const object = conformToTarget(body, namespace === undefined ? { served } : { served, namespace });
  const { object: created, warnings } = await createObject(deps, served, object, mode);
  return { status: 201, body: fromStorage(served, created), warnings };
}

/** Admits and stores a new object (already conformed to the URL). */
export async function createObject(
  deps: CoreDeps,
  served: ServedKind,
  object: Resource,
  mode: FieldValidation,
): Promise<Written> {
  const { object: admitted, warnings } = await admitNew(deps, served, object, mode);
  try {
    return { object: await deps.store.create(admitted), warnings };
  } catch (error) {
    throw withKubernetesMessage(error, served.kind, admitted.metadata.name);
  }
}

/** What `createObject` stores, without storing it: the namespace exists, field validation, admission. */
export async function admitNew(
  deps: CoreDeps,
  served: ServedKind,
  object: Resource,
  mode: FieldValidation,
): Promise<Written> {
  const namespace = object.metadata.namespace;
  if (served.kind.namespaced && namespace !== undefined) await requireNamespace(deps, namespace);
  const { object: kept, warnings } = withFieldValidation(toStorage(served, object), mode);
  return { object: admitCreate(kept, deps.now(), deps.admissionChecks), warnings };
}

/** A stored object, and the warnings of its write (unknown fields dropped under fieldValidation=Warn). */
export interface Written {
  readonly object: Resource;
  readonly warnings: string[];
}

async function replace(
  deps: CoreDeps,
  req: ApiRequest,
  served: ServedKind,
  key: ResourceKey,
): Promise<Written> {
  const mode = fieldValidationOf(req.query);
  const body = parseJsonObject(req.body ?? Buffer.alloc(0));
  const object = conformToTarget(body, { served, name: key.name, ...namespaceOf(key) });
  return replaceObject(deps, served, key, object, mode);
}

/**
 * Replaces an object (already conformed to the URL). With the resourceVersion the object names, a concurrent
 * change is a 409; without one the write is retried on the newer object.
 */
export async function replaceObject(
  deps: CoreDeps,
  served: ServedKind,
  key: ResourceKey,
  object: Resource,
  mode: FieldValidation,
): Promise<Written> {
  const { object: kept, warnings } = withFieldValidation(toStorage(served, object), mode);
  const stored = await update(deps, served.kind, key, object.metadata.resourceVersion, () => kept);
  return { object: stored, warnings };
}

/**
 * What one attempt of `replaceObject` stores over `existing`, without storing it: the store's write then
 * checks the resourceVersion (the object's own, else the one of `existing`).
 */
export function admitReplacement(
  deps: CoreDeps,
  served: ServedKind,
  existing: Resource,
  object: Resource,
  mode: FieldValidation,
): Written {
  const { object: kept, warnings } = withFieldValidation(toStorage(served, object), mode);
  kept.metadata.resourceVersion = object.metadata.resourceVersion ?? existing.metadata.resourceVersion;
  return { object: admitUpdate(existing, kept, deps.admissionChecks), warnings };
}

/**
 * A patch applies to the object as the version on the URL shows it (patch.ts). Server-side apply creates
 * the object when it does not exist yet, as in Kubernetes.
 */
async function patch(
  deps: CoreDeps,
  req: ApiRequest,
  served: ServedKind,
  key: ResourceKey,
): Promise<Written & { created: boolean }> {
  const mode = fieldValidationOf(req.query);
  const parsed = parsePatch(req.contentType, req.body ?? Buffer.alloc(0), req.query);
  if (parsed.type === 'apply' && (await deps.store.get(key)) === undefined) {
    try {
      const target = { served, name: key.name, ...namespaceOf(key) };
      const object = conformToTarget(parsed.applied, target);
      return { ...(await createObject(deps, served, object, mode)), created: true };
    } catch (error) {
      // Created meanwhile by someone else: apply to theirs.
      if (!(isMeshError(error) && error.code === 'MESH_RESOURCE_EXISTS')) throw error;
    }
  }
  let warnings: string[] = [];
  const precondition = parsed.type === 'json' ? undefined : parsed.precondition;
  const stored = await update(deps, served.kind, key, precondition, (existing) => {
    const current = fromStorage(served, existing);
    const patched = patchDocument(parsed, current);
    // A JSON patch that changes the resourceVersion names the version it expects, as in Kubernetes.
    const version = (patched.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
    if (parsed.type === 'json' && version !== current.metadata.resourceVersion)
      throw new MeshError('MESH_RESOURCE_CONFLICT', 'the patch names another resourceVersion');
    const object = conformToTarget(patched, { served, name: key.name, ...namespaceOf(key) });
    const checked = withFieldValidation(toStorage(served, object), mode);
    warnings = checked.warnings;
    return checked.object;
  });
  return { object: stored, warnings, created: false };
}

/**
 * Replaces an object with what `build` makes of the stored one. With a `precondition` resourceVersion a
 * concurrent change is a 409; without one the write is retried on the newer object, as Kubernetes does.
 */
async function update(
  deps: CoreDeps,
  kind: KindDefinition,
  key: ResourceKey,
  precondition: string | undefined,
  build: (existing: Resource) => Resource,
): Promise<Resource> {
  for (let attempt = 1; ; attempt += 1) {
    const existing = await getOrThrow(deps, kind, key);
    const object = build(existing);
    object.metadata.resourceVersion = precondition ?? existing.metadata.resourceVersion;
    const admitted = admitUpdate(existing, object, deps.admissionChecks);
    try {
      return await deps.store.replace(admitted);
    } catch (error) {
      const retry = precondition === undefined && attempt < UNCONDITIONAL_ATTEMPTS;
      if (retry && isMeshError(error) && error.code === 'MESH_RESOURCE_CONFLICT') continue;
      throw withKubernetesMessage(error, kind, key.name);
    }
  }
}

async function remove(deps: CoreDeps, kind: KindDefinition, key: ResourceKey): Promise<Resource> {
  if (key.namespace === undefined && kind.kind === NAMESPACE_KIND && key.name === DEFAULT_NAMESPACE) {
    throw new MeshError(
      'MESH_FORBIDDEN',
      `namespaces "${DEFAULT_NAMESPACE}" is forbidden: this namespace may not be deleted`,
    );
  }
  const deleted = await deps.store.delete(key);
  if (deleted === undefined) throw notFound(kind, key.name);
  // Deleting a Namespace deletes everything in it. The Namespace goes first, so that no create can land in
  // it meanwhile (creates check that the namespace exists).
  if (kind.kind === NAMESPACE_KIND) {
    for (const info of allKinds().filter((k) => k.namespaced)) {
      for (const object of await deps.store.list(info.kind, key.name)) {
        await deps.store.delete({ kind: info.kind, namespace: key.name, name: object.metadata.name });
      }
    }
  }
  return deleted;
}

async function getOrThrow(deps: CoreDeps, kind: KindDefinition, key: ResourceKey): Promise<Resource> {
  const found = await deps.store.get(key);
  if (found === undefined) throw notFound(kind, key.name);
  return found;
}

/** A namespaced object needs its Namespace; `default` always exists. */
export async function requireNamespace(deps: CoreDeps, namespace: string): Promise<void> {
  if (namespace === DEFAULT_NAMESPACE) return;
  if ((await deps.store.get({ kind: NAMESPACE_KIND, name: namespace })) === undefined) {
    throw new MeshError('MESH_RESOURCE_NOT_FOUND', `namespaces "${namespace}" not found`);
  }
}

export function notFound(kind: KindDefinition, name: string): MeshError {
  return new MeshError('MESH_RESOURCE_NOT_FOUND', `${objectName(kind, name)} not found`);
}

/** Store errors carry the store's wording; the API answers in the words Kubernetes clients know. */
export function withKubernetesMessage(error: unknown, kind: KindDefinition, name: string): unknown {
  if (!isMeshError(error)) return error;
  switch (error.code) {
    case 'MESH_RESOURCE_EXISTS':
      return new MeshError(error.code, `${objectName(kind, name)} already exists`, {}, { cause: error });
    case 'MESH_RESOURCE_NOT_FOUND':
      return notFound(kind, name);
    case 'MESH_RESOURCE_CONFLICT':
      return new MeshError(
        error.code,
        `Operation cannot be fulfilled on ${objectName(kind, name)}: the object has been modified; ` +
          'please apply your changes to the latest version and try again',
        {},
        { cause: error },
      );
    default:
      return error;
  }
}

function namespaceOf(key: ResourceKey): { namespace?: string } {
  return key.namespace === undefined ? {} : { namespace: key.namespace };
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

export function methodNotAllowed(method: string, allowed: string): MeshError {
  return new MeshError(
    'MESH_METHOD_NOT_ALLOWED',
    `method ${method} is not allowed here; allowed: ${allowed}`,
  );
}
