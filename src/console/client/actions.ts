/** What the console changes, each through the same REST API and token as everything else (docs/api.md). */
import { stringify } from 'yaml';
import { ApiError, call, sendJson } from './api.js';
import { editable } from './format.js';
import { apiVersionOf, collectionPath, findKind, objectPath, type Kind } from './kinds.js';
import type { Resource } from './types.js';

const MERGE_PATCH = 'application/merge-patch+json';
const PAUSED = 'eventing.cemesh.dev/paused';

/** Pauses or resumes a trigger by its annotation (docs/decisions/trigger-pause.md). */
export async function setPaused(kind: Kind, trigger: Resource, paused: boolean): Promise<void> {
  await sendJson(
    'PATCH',
    objectPath(kind, trigger),
    { metadata: { annotations: { [PAUSED]: paused ? 'true' : null } } },
    MERGE_PATCH,
  );
}

export async function deleteObject(kind: Kind, object: Resource): Promise<void> {
  await call(objectPath(kind, object), { method: 'DELETE' });
}

export async function redeliver(
  kind: Kind,
  namespace: string,
  trigger: string,
  event: { source: string; id: string },
): Promise<number> {
  const path = `${collectionPath(kind, namespace)}/${encodeURIComponent(trigger)}/redeliver`;
  const body = { source: event.source, id: event.id };
  return (await sendJson<{ redelivered: number }>('POST', path, body)).redelivered;
}

export async function replay(kind: Kind, namespace: string, trigger: string, since: Date): Promise<number> {
  const path = `${collectionPath(kind, namespace)}/${encodeURIComponent(trigger)}/replay`;
  return (await sendJson<{ replayed: number }>('POST', path, { since: since.toISOString() })).replayed;
}

export type ApplyOutcome = 'created' | 'configured';

/**
 * Creates the object, or replaces it when it exists (with its resourceVersion when the YAML has one, so an
 * edit of a changed object is a 409, not a silent overwrite). The namespace defaults to the selected one.
 */
export async function applyObject(
  kinds: readonly Kind[],
  object: Resource,
  namespace: string,
): Promise<ApplyOutcome> {
  const kind = kinds.find((k) => apiVersionOf(k) === object.apiVersion && k.kind === object.kind);
  if (kind === undefined) {
    throw new Error(
      `the server does not serve kind "${String(object.kind)}" in API version "${String(object.apiVersion)}"`,
    );
  }
  const target: Resource =
    kind.namespaced && object.metadata?.namespace === undefined
      ? { ...object, metadata: { ...object.metadata, namespace } }
      : object;
  const name = target.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new ApiError(422, 'metadata.name: required', [{ field: 'metadata.name', message: 'required' }]);
  }
  const exists = await call(objectPath(kind, target), { method: 'GET' }).then(
    () => true,
    (error: { status?: number }) => {
      if (error.status === 404) return false;
      throw error;
    },
  );
  if (exists) {
    await sendJson('PUT', objectPath(kind, target), target);
    return 'configured';
  }
  await sendJson('POST', collectionPath(kind, target.metadata.namespace), target);
  return 'created';
}

/** An object as YAML for the editor, without status and server-set fields. */
export function toYaml(object: Resource): string {
  return stringify(editable(object));
}

export function kindOf(kinds: readonly Kind[], name: string): Kind {
  const kind = findKind(kinds, name);
  if (kind === undefined) throw new Error(`this server does not serve ${name}`);
  return kind;
}
