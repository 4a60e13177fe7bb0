/**
 * What the server writes into the resource store at start: the namespaces every Knative installation has
 * (`default`, and `knative-eventing`, where config-br-defaults and channel templates live) and the config
 * file's resources.
 */
import { isMeshError } from '../core/errors.js';
import { newUid } from '../core/resources/uid.js';
import { defaultResource, findKindOf, validateResource } from '../core/resources/index.js';
import type { FieldError } from '../core/errors.js';
import type { Resource } from '../core/resources/object.js';
import type { ResourceStore } from '../store/contracts.js';
import { ConfigError } from './config.js';
import { namespaceOrDefault } from '../core/resources/defaults.js';

export const DEFAULT_NAMESPACES = ['default', 'knative-eventing'] as const;

export async function ensureDefaultNamespaces(resources: ResourceStore): Promise<void> {
  for (const name of DEFAULT_NAMESPACES) {
    if (await resources.get({ kind: 'Namespace', name })) continue;
    try {
      await resources.create(stamp({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    } catch (error) {
      // Replicas sharing one store (jetstream) may start together: another one created it meanwhile.
      if (!isMeshError(error) || error.code !== 'MESH_RESOURCE_EXISTS') throw error;
    }
  }
}

/** Applies the config file's resources: created when absent, left alone when present (the API owns updates). */
export async function applyStartupResources(
  resources: ResourceStore,
  objects: readonly Resource[],
  /** The API's checks beyond validation (the outbound guard): a config file is admitted as the API would. */
  checks?: (object: Resource) => FieldError[],
): Promise<void> {
  for (const object of objects) {
    const info = findKindOf(String(object.apiVersion), String(object.kind))?.kind;
    if (!info)
      throw new Error(
        `config resources: unknown kind ${String(object.kind)} in ${String(object.apiVersion)}`,
      );
    const namespace = info.namespaced ? namespaceOrDefault(object.metadata?.namespace) : undefined;
    const candidate = stamp(
      defaultResource({ ...object, metadata: { ...object.metadata, ...(namespace ? { namespace } : {}) } }),
    );
    const errors = validateResource(candidate);
    if (errors.length === 0 && checks !== undefined) errors.push(...checks(candidate));
    if (errors.length > 0) {
      const where = `${info.kind} ${candidate.metadata.name}`;
      throw new ConfigError(
        `resources: ${where}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      );
    }
    try {
      await resources.create(candidate);
    } catch (error) {
      if (!isMeshError(error) || error.code !== 'MESH_RESOURCE_EXISTS') throw error;
    }
  }
}

function stamp(object: Resource): Resource {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      uid: object.metadata.uid ?? newUid(),
      generation: 1,
      creationTimestamp: new Date().toISOString(),
    },
  };
}
