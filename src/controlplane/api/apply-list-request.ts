/**
 * The body of `POST /apis/cemesh.dev/v1/apply` (apply-list.ts) and how its items are taken: pure checks, no
 * store. The body is a Kubernetes `List` (`{"apiVersion": "v1", "kind": "List", "items": [...]}`) of at most
 * MAX_APPLY_ITEMS objects; an item that is no object is that item's error, not the request's.
 */
import { MeshError, type FieldError } from '../../core/errors.js';

/** Objects one request may apply; the CLI sends manifests in chunks of APPLY_CHUNK (client/apply-list.ts). */
export const MAX_APPLY_ITEMS = 1000;

const LIST_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'items']);

/** The items of an apply request's body; throws 400/413/422 naming what is wrong with the body itself. */
export function applyListItems(body: Record<string, unknown>): unknown[] {
  const causes: FieldError[] = Object.keys(body)
    .filter((field) => !LIST_FIELDS.has(field))
    .map((field) => ({ field, message: 'unknown field' }));
  if (body.kind !== 'List') causes.push({ field: 'kind', message: 'must be "List"' });
  if (body.apiVersion !== undefined && body.apiVersion !== 'v1')
    causes.push({ field: 'apiVersion', message: 'must be "v1" or left out' });
  const { metadata, items } = body;
  if (
    metadata !== undefined &&
    (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
  )
    causes.push({ field: 'metadata', message: 'must be an object' });
  if (!Array.isArray(items)) causes.push({ field: 'items', message: 'required: an array of objects' });
  if (causes.length > 0) {
    const listed = causes.map((c) => `${c.field}: ${c.message}`).join('; ');
    throw new MeshError('MESH_RESOURCE_INVALID', `the apply request is not a List of objects: ${listed}`, {
      causes,
    });
  }
  const list = items as unknown[];
  if (list.length > MAX_APPLY_ITEMS) {
    throw new MeshError(
      'MESH_BODY_TOO_LARGE',
      `the apply request holds ${list.length} objects; one request applies at most ${MAX_APPLY_ITEMS}: ` +
        'send the rest in further requests',
    );
  }
  return list;
}

/**
 * Splits the items into segments, each stored in one write of the store (`[start, end)` index ranges, in
 * order). A segment ends before an object it already holds (the same kind, namespace and name: the second
 * write must see the first) and after a Namespace (the objects that follow may be in it, and a namespaced
 * object is admitted only once its Namespace is stored).
 */
export function segmentsOf(items: readonly unknown[]): [number, number][] {
  const segments: [number, number][] = [];
  let start = 0;
  let seen = new Set<string>();
  items.forEach((item, index) => {
    const key = identityOf(item);
    if (key !== undefined && seen.has(key)) {
      segments.push([start, index]);
      start = index;
      seen = new Set();
    }
    if (key !== undefined) seen.add(key);
    if (isNamespace(item)) {
      segments.push([start, index + 1]);
      start = index + 1;
      seen = new Set();
    }
  });
  if (start < items.length) segments.push([start, items.length]);
  return segments;
}

/** Kind (in any case), namespace and name as the item writes them; undefined for an item without them. */
function identityOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { kind, metadata } = item as { kind?: unknown; metadata?: { namespace?: unknown; name?: unknown } };
  if (typeof kind !== 'string' || typeof metadata?.name !== 'string') return undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  return `${kind.toLowerCase()}\u0000${namespace}\u0000${metadata.name}`;
}

function isNamespace(item: unknown): boolean {
  const kind = (item as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && kind.toLowerCase() === 'namespace';
}
