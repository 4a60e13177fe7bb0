/**
 * `POST /apis/cemesh.dev/v1/apply`: `apply` (create, or replace when what the user wrote differs) of every
 * object of a List in one request, as `cemesh apply -f` sends a manifest (docs/decisions/bulk-apply.md). Each
 * object goes through what the single-object create and replace do (field validation, admission, the same
 * messages); the writes of a segment (apply-list-request.ts) are stored with one `writeMany`. The answer
 * holds one outcome per item, in order: created, configured or unchanged, or the Status the single-object
 * path would have answered.
 */
import { isMeshError, MeshError } from '../../core/errors.js';
import { applyOver, type ApplyResult } from '../../core/resources/apply-decision.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';
import { findKindOf, fromStorage, type ServedKind } from '../../core/resources/index.js';
import type { Resource } from '../../core/resources/object.js';
import type { ResourceKey, StoreWrite } from '../../store/contracts.js';
import { conformToTarget } from './admission.js';
import { parseJsonObject } from './body.js';
import { statusOf, type StatusObject } from './errors.js';
import { fieldValidationOf, type FieldValidation } from './field-validation.js';
import { applyListItems, segmentsOf } from './apply-list-request.js';
import {
  admitNew,
  admitReplacement,
  createObject,
  methodNotAllowed,
  replaceObject,
  withKubernetesMessage,
  type Written,
} from './resources.js';
import type { ApiResult, CoreDeps } from './types.js';

export const APPLY_PATH = '/apis/cemesh.dev/v1/apply';

/** One item's outcome, at the item's index in the answer. */
export type ApplyItemOutcome =
  { readonly result: ApplyResult; readonly warnings?: readonly string[] } | { readonly error: StatusObject };

export async function handleApplyList(
  deps: CoreDeps,
  method: string,
  query: URLSearchParams,
  body: Buffer | undefined,
): Promise<ApiResult> {
  if (method !== 'POST') throw methodNotAllowed(method, 'POST');
  const mode = fieldValidationOf(query);
  const items = applyListItems(parseJsonObject(body ?? Buffer.alloc(0)));
  const outcomes: ApplyItemOutcome[] = [];
  const failures: unknown[] = [];
  const failed = (error: unknown): ApplyItemOutcome => {
    if (statusOf(error).code >= 500) failures.push(error);
    return { error: statusOf(error) };
  };
  for (const [start, end] of segmentsOf(items)) {
    outcomes.push(...(await applySegment(deps, items.slice(start, end), mode, failed)));
  }
  return {
    status: 200,
    body: { apiVersion: 'cemesh.dev/v1', kind: 'ApplyResultList', items: outcomes },
    failures,
  };
}

/** What one item asks the store for: nothing (unchanged) or one write, decided on what is stored now. */
interface Plan {
  readonly served: ServedKind;
  readonly key: ResourceKey;
  readonly object: Resource;
  readonly result: ApplyResult;
  readonly written?: Written & { readonly op: StoreWrite['op'] };
}

async function applySegment(
  deps: CoreDeps,
  items: readonly unknown[],
  mode: FieldValidation,
  failed: (error: unknown) => ApplyItemOutcome,
): Promise<ApplyItemOutcome[]> {
  const plans: (Plan | ApplyItemOutcome)[] = [];
  for (const item of items) plans.push(await plan(deps, item, mode).catch(failed));
  const writes = plans.flatMap((p) =>
    'written' in p && p.written !== undefined ? [{ op: p.written.op, object: p.written.object }] : [],
  );
  const stored = writes.length === 0 ? [] : await deps.store.writeMany(writes);
  let next = 0;
  const outcomes: ApplyItemOutcome[] = [];
  for (const p of plans) {
    if (!('served' in p)) outcomes.push(p);
    else if (p.written === undefined) outcomes.push({ result: p.result });
    else {
      const write = stored[next++];
      if (write !== undefined && 'object' in write) outcomes.push(done(p.result, p.written.warnings));
      else outcomes.push(await afterFailedWrite(deps, p, write?.error, mode).catch(failed));
    }
  }
  return outcomes;
}

/** Decides one item as `apply` does: conformed, read, compared, and its write admitted (not yet stored). */
async function plan(deps: CoreDeps, item: unknown, mode: FieldValidation): Promise<Plan> {
  const { served, key, object } = identify(item);
  const stored = await deps.store.get(key);
  let written: Plan['written'];
  const result = await applyOver(object, stored === undefined ? undefined : fromStorage(served, stored), {
    // Built as literals, not spreads: a spread that adds keys costs about 1 us a key (bench/object-extend.ts).
    create: async (given) => {
      const { object: admitted, warnings } = await admitNew(deps, served, given, mode);
      written = { op: 'create', object: admitted, warnings };
    },
    replace: async (given) => {
      if (stored === undefined) throw new Error('replace without a stored object');
      const { object: admitted, warnings } = admitReplacement(deps, served, stored, given, mode);
      written = { op: 'replace', object: admitted, warnings };
    },
  });
  return written === undefined ? { served, key, object, result } : { served, key, object, result, written };
}

/**
 * A write the store refused. Someone else created or changed the object since it was read (and the item named
 * no resourceVersion of its own): apply it alone, as the single-object path does. Any other refusal is the
 * item's error, in the single-object path's words.
 */
async function afterFailedWrite(
  deps: CoreDeps,
  { served, key, object }: Plan,
  error: unknown,
  mode: FieldValidation,
): Promise<ApplyItemOutcome> {
  const raced =
    isMeshError(error) &&
    (error.code === 'MESH_RESOURCE_EXISTS' ||
      ((error.code === 'MESH_RESOURCE_CONFLICT' || error.code === 'MESH_RESOURCE_NOT_FOUND') &&
        object.metadata.resourceVersion === undefined));
  if (!raced) throw withKubernetesMessage(error, served.kind, key.name);
  const stored = await deps.store.get(key);
  let warnings: string[] = [];
  const result = await applyOver(object, stored === undefined ? undefined : fromStorage(served, stored), {
    create: async (given) => ({ warnings } = await createObject(deps, served, given, mode)),
    replace: async (given) => ({ warnings } = await replaceObject(deps, served, key, given, mode)),
  });
  return done(result, warnings);
}

function done(result: ApplyResult, warnings: readonly string[]): ApplyItemOutcome {
  return warnings.length === 0 ? { result } : { result, warnings };
}

/** The item's kind (from apiVersion and kind), its key and the object conformed to it, or the item's error. */
function identify(item: unknown): { served: ServedKind; key: ResourceKey; object: Resource } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new MeshError('MESH_REQUEST_INVALID', 'an item of the List is not a JSON object');
  }
  const { apiVersion, kind, metadata } = item as Record<string, unknown>;
  if (typeof kind !== 'string' || kind === '') throw unknownKind('kind', 'required');
  if (typeof apiVersion !== 'string' || apiVersion === '') throw unknownKind('apiVersion', 'required');
  const served = findKindOf(apiVersion, kind);
  if (served === undefined) throw unknownKind('kind', `unknown kind "${kind}" in ${apiVersion}`);
  const name = (metadata as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || name === '') {
    throw new MeshError('MESH_RESOURCE_INVALID', 'metadata.name: Required value', {
      causes: [{ field: 'metadata.name', message: 'Required value' }],
    });
  }
  const rawNamespace = (metadata as { namespace?: unknown }).namespace;
  const namespace = served.kind.namespaced
    ? namespaceOrDefault(typeof rawNamespace === 'string' ? rawNamespace : undefined)
    : undefined;
  const object = conformToTarget(
    item as Record<string, unknown>,
    namespace === undefined ? { served, name } : { served, name, namespace },
  );
  const key =
    namespace === undefined ? { kind: served.kind.kind, name } : { kind: served.kind.kind, namespace, name };
  return { served, key, object };
}

function unknownKind(field: string, message: string): MeshError {
  return new MeshError('MESH_KIND_UNKNOWN', `${field}: ${message}`, { causes: [{ field, message }] });
}
