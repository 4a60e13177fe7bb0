/**
 * The kinds cemesh serves, as the server needs them: each kind's definition (`kind.ts` KindDefinition, its
 * entry with its admission rules and conditions), one line per kind below, put in place of its entry in the
 * catalog (`catalog.ts`). Everything on the server that needs to know about kinds (API paths and admission,
 * discovery, the reconciler) looks them up here instead of switching on kind names.
 */
import { applicationKind } from './application/index.js';
import { applicationMappingKind } from './applicationmapping/index.js';
import { brokerKind } from './broker/index.js';
import * as catalog from './catalog.js';
import { configMapKind } from './configmap/index.js';
import { eventPolicyKind } from './eventpolicy/index.js';
import { functionKind } from './function/index.js';
import type { KindDefinition, KindEntry } from './kind.js';
import { namespaceKind } from './namespace/index.js';
import { subscriptionKind } from './subscription/index.js';
import { triggerKind } from './trigger/index.js';

export { fromStorage, toStorage } from './catalog.js';

/** A kind, with its definition, and one of its versions. */
export type ServedKind = catalog.ServedKind<KindDefinition>;

for (const kind of [
  namespaceKind,
  configMapKind,
  brokerKind,
  triggerKind,
  applicationKind,
  applicationMappingKind,
  functionKind,
  eventPolicyKind,
  subscriptionKind,
]) {
  catalog.defineKind(kind);
}

/** Adds a kind with its definition, on the catalog's terms (`catalog.ts`); returns its removal. */
export function registerKind(definition: KindDefinition): () => void {
  return catalog.registerKind(definition);
}

/** Every served kind, in registration order. */
export function allKinds(): readonly KindDefinition[] {
  const entries = catalog.allKinds();
  for (const entry of entries) definitionOf(entry);
  return entries as readonly KindDefinition[];
}

/** Finds a kind by any of its names (kind, singular, plural, short), case-insensitively. */
export function findKind(name: string): KindDefinition | undefined {
  return definitionOf(catalog.findKind(name));
}

/** The kind of a stored object, by its exact (canonical) kind name. */
export function kindNamed(kind: string): KindDefinition | undefined {
  return definitionOf(catalog.kindNamed(kind));
}

/** Finds a kind and the version asked for by API path segments (group '' for core). */
export function findKindByPath(group: string, version: string, plural: string): ServedKind | undefined {
  return servedDefinition(catalog.findKindByPath(group, version, plural));
}

/**
 * Finds a kind and version by an object's apiVersion and kind, the kind's spelling matched
 * case-insensitively (`catalog.ts`).
 */
export function findKindOf(apiVersion: string, kind: string): ServedKind | undefined {
  return servedDefinition(catalog.findKindOf(apiVersion, kind));
}

/** `findKindOf` for an object's `apiVersion` and `kind` (`catalog.ts`). */
export function servedKindOf(object: {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
}): ServedKind | undefined {
  return servedDefinition(catalog.servedKindOf(object));
}

function servedDefinition(served: catalog.ServedKind | undefined): ServedKind | undefined {
  if (served !== undefined) definitionOf(served.kind);
  return served as ServedKind | undefined;
}

/** The entry as its definition; an entry without one is a kind registered in the catalog alone. */
function definitionOf(entry: KindEntry | undefined): KindDefinition | undefined {
  if (entry === undefined || isDefinition(entry)) return entry;
  throw new Error(`kind ${entry.kind} is in the catalog without its definition (registerKind it here)`);
}

function isDefinition(entry: KindEntry): entry is KindDefinition {
  return 'validate' in entry && 'schema' in entry;
}
