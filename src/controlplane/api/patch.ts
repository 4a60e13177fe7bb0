/**
 * The PATCH types cemesh takes, as the Kubernetes API server takes them for custom resources: JSON merge
 * patch (RFC 7396), JSON patch (RFC 6902) and server-side apply (`application/apply-patch+yaml`, simplified:
 * docs/decisions/server-side-apply.md). Strategic merge patch needs Go struct tags that custom resources do
 * not have, so it is a 415 naming the types served, which is what kubectl expects from a CRD. This file
 * parses a patch and makes the patched document; resources.ts stores it.
 */
import { parse as parseYaml } from 'yaml';
import { MeshError } from '../../core/errors.js';
import { parseJson, parseJsonObject } from './body.js';
import {
  applyJsonPatch,
  JsonPatchError,
  JsonPatchSyntaxError,
  parseJsonPatch,
  type JsonPatchOperation,
} from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';
const SERVED = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];

/** Kubernetes bounds a field manager's name the same way. */
const FIELD_MANAGER_MAX = 128;

export type Patch =
  | { readonly type: 'merge'; readonly patch: Record<string, unknown>; readonly precondition?: string }
  | { readonly type: 'json'; readonly operations: readonly JsonPatchOperation[] }
  /** Server-side apply: the applied configuration, which must name apiVersion and kind. */
  | { readonly type: 'apply'; readonly applied: Record<string, unknown>; readonly precondition?: string };

/** Parses a PATCH request's body by its Content-Type and checks `fieldManager` and `force`. */
export function parsePatch(contentType: string, body: Buffer, query: URLSearchParams): Patch {
  checkPatchParameters(contentType, query);
  switch (contentType) {
    case MERGE_PATCH: {
      const patch = parseJsonObject(body);
      return { type: 'merge', patch, ...preconditionOf(patch) };
    }
    case JSON_PATCH:
      try {
        return { type: 'json', operations: parseJsonPatch(parseJson(nonEmpty(body).toString('utf8'))) };
      } catch (error) {
        if (error instanceof JsonPatchSyntaxError) throw new MeshError('MESH_REQUEST_INVALID', error.message);
        throw error;
      }
    case APPLY_PATCH: {
      const applied = parseApplied(body);
      return { type: 'apply', applied, ...preconditionOf(applied) };
    }
    default:
      throw new MeshError(
        'MESH_CONTENT_TYPE_UNSUPPORTED',
        `unsupported PATCH media type ${JSON.stringify(contentType)}; accepted media types: ${SERVED.join(', ')}` +
          (contentType === 'application/strategic-merge-patch+json'
            ? ' (cemesh kinds are patched as custom resources are: kubectl patch --type=merge or --type=json)'
            : ''),
      );
  }
}

/** The document a JSON or merge patch makes of `current` (the object as the URL's version shows it). */
export function patchDocument(patch: Patch, current: Record<string, unknown>): Record<string, unknown> {
  let patched: unknown;
  if (patch.type === 'json') {
    try {
      patched = applyJsonPatch(current, patch.operations);
    } catch (error) {
      if (error instanceof JsonPatchError)
        throw new MeshError('MESH_RESOURCE_INVALID', `the JSON patch does not apply: ${error.message}`);
      throw error;
    }
  } else {
    // Server-side apply without field managers: the applied fields merge into the object (maps by key,
    // lists whole, as a CRD's lists are atomic); fields left out stay.
    patched = applyMergePatch(current, patch.type === 'merge' ? patch.patch : patch.applied);
  }
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched))
    throw new MeshError('MESH_RESOURCE_INVALID', 'the patched object is not a JSON object');
  return patched as Record<string, unknown>;
}

function checkPatchParameters(contentType: string, query: URLSearchParams): void {
  const manager = query.get('fieldManager');
  const apply = contentType === APPLY_PATCH;
  if (apply && (manager === null || manager === ''))
    throw invalidParameter('fieldManager', 'is required for apply patch (application/apply-patch+yaml)');
  if (manager !== null && manager.length > FIELD_MANAGER_MAX)
    throw invalidParameter('fieldManager', `may not be longer than ${FIELD_MANAGER_MAX} characters`);
  if (manager !== null && /[^\x20-\x7e]/.test(manager))
    throw invalidParameter('fieldManager', 'must consist of printable ASCII characters');
  const force = query.get('force');
  if (force === null) return;
  if (!apply)
    throw invalidParameter('force', 'may only be given with apply patch (application/apply-patch+yaml)');
  if (force !== 'true' && force !== 'false')
    throw new MeshError('MESH_REQUEST_INVALID', `force must be true or false, not ${JSON.stringify(force)}`);
}

function invalidParameter(field: string, message: string): MeshError {
  return new MeshError('MESH_RESOURCE_INVALID', `PatchOptions are invalid: ${field}: ${message}`, {
    causes: [{ field, message }],
  });
}

function parseApplied(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(nonEmpty(body).toString('utf8'), { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `the applied configuration is not valid YAML: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      'the applied configuration must be one object (a YAML mapping)',
    );
  const applied = value as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind'])
    if (typeof applied[field] !== 'string' || applied[field] === '')
      throw new MeshError('MESH_REQUEST_INVALID', `the applied configuration must set ${field}`);
  return applied;
}

function nonEmpty(body: Buffer): Buffer {
  if (body.toString('utf8').trim() === '')
    throw new MeshError('MESH_REQUEST_INVALID', 'the request body is empty');
  return body;
}

function preconditionOf(object: Record<string, unknown>): { precondition?: string } {
  const metadata = object.metadata as { resourceVersion?: unknown } | null | undefined;
  const sent = typeof metadata === 'object' && metadata !== null ? metadata.resourceVersion : undefined;
  if (sent === undefined || sent === null) return {};
  if (typeof sent !== 'string')
    throw new MeshError('MESH_REQUEST_INVALID', 'metadata.resourceVersion must be a string');
  return { precondition: sent };
}
