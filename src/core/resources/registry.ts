/**
 * The kinds cemesh serves: one line per kind below, each pointing at the kind's folder. Everything that
 * needs to know about kinds (API paths and admission, `apply`, `get`/`describe`, discovery, the
 * reconciler) looks them up here instead of switching on kind names. `registerKind` adds one more at run
 * time (tests do; so could an embedding program) before the server starts.
 */
import { applicationKind } from './application/index.js';
import { applicationMappingKind } from './applicationmapping/index.js';
import { brokerKind } from './broker/index.js';
import { configMapKind } from './configmap/index.js';
import { eventPolicyKind } from './eventpolicy/index.js';
import { isGroupVersion, type KindDefinition, type KindVersion } from './kind.js';
import { namespaceKind } from './namespace/index.js';
import type { Resource } from './object.js';
import { triggerKind } from './trigger/index.js';
import { functionKind } from './function/index.js';
import { subscriptionKind } from './subscription/index.js';

const registered: KindDefinition[] = [];

/**
 * Adds a kind. Throws when its definition is inconsistent or a name clashes with a served kind (the same
 * kind name, plural in its group, or short name), because lookups by any name must stay unambiguous.
 * Returns a function that removes it again.
 */
export function registerKind(definition: KindDefinition): () => void {
  const problem = definitionProblem(definition);
  if (problem !== undefined) throw new Error(`kind ${definition.kind}: ${problem}`);
  registered.push(definition);
  return () => {
    const at = registered.indexOf(definition);
    if (at >= 0) registered.splice(at, 1);
  };
}

function definitionProblem(definition: KindDefinition): string | undefined {
  const versions = definition.versions.map((v) => v.name);
  if (!versions.includes(definition.storageVersion))
    return `storage version ${definition.storageVersion} is not among its versions (${versions.join(', ')})`;
  if (new Set(versions).size !== versions.length) return 'a version is listed twice';
  const unconvertible = definition.versions.find(
    (v) => v.name !== definition.storageVersion && (v.toStorage === undefined || v.fromStorage === undefined),
  );
  if (unconvertible !== undefined)
    return `version ${unconvertible.name} needs toStorage and fromStorage (it is not the storage version)`;
  for (const other of registered) {
    if (other.kind.toLowerCase() === definition.kind.toLowerCase()) return 'is already registered';
    if (other.group === definition.group && other.plural === definition.plural)
      return `plural ${definition.plural} is already served by ${other.kind}`;
    const names = [definition.singular, definition.plural, ...definition.shortNames];
    const otherNames = new Set([other.kind.toLowerCase(), other.singular, other.plural, ...other.shortNames]);
    const clash = names.find((n) => otherNames.has(n));
    if (clash !== undefined) return `name ${clash} already names ${other.kind}`;
  }
  return undefined;
}

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
  registerKind(kind);
}

/** Every served kind, in registration order. */
export function allKinds(): readonly KindDefinition[] {
  return registered;
}

/** Finds a kind by any of its names (kind, singular, plural, short), case-insensitively. */
export function findKind(name: string): KindDefinition | undefined {
  const wanted = name.toLowerCase();
  return registered.find(
    (k) =>
      k.kind.toLowerCase() === wanted ||
      k.singular === wanted ||
      k.plural === wanted ||
      k.shortNames.includes(wanted),
  );
}

/** The kind of a stored object, by its exact (canonical) kind name. */
export function kindNamed(kind: string): KindDefinition | undefined {
  return registered.find((k) => k.kind === kind);
}

export interface ServedKind {
  readonly kind: KindDefinition;
  readonly version: KindVersion;
}

/** Finds a kind and the version asked for by API path segments (group '' for core). */
export function findKindByPath(group: string, version: string, plural: string): ServedKind | undefined {
  for (const kind of registered) {
    if (kind.group !== group || kind.plural !== plural) continue;
    const served = kind.versions.find((v) => v.name === version);
    return served === undefined ? undefined : servedKind(kind, served);
  }
  return undefined;
}

/**
 * Finds a kind and version by an object's apiVersion and kind. The kind's spelling is matched
 * case-insensitively (Knative's own conformance test plan writes `kind: broker`). Called several times for
 * every object written, so it builds no strings and hands out one answer object per kind version.
 */
export function findKindOf(apiVersion: string, kind: string): ServedKind | undefined {
  for (const candidate of registered) {
    if (!sameKindName(candidate.kind, kind)) continue;
    const version = candidate.versions.find((v) => isGroupVersion(apiVersion, candidate.group, v.name));
    return version === undefined ? undefined : servedKind(candidate, version);
  }
  return undefined;
}

function sameKindName(registeredKind: string, given: string): boolean {
  return (
    registeredKind === given ||
    (registeredKind.length === given.length && registeredKind.toLowerCase() === given.toLowerCase())
  );
}

const servedKinds = new WeakMap<KindVersion, ServedKind>();

function servedKind(kind: KindDefinition, version: KindVersion): ServedKind {
  let served = servedKinds.get(version);
  if (served?.kind !== kind) servedKinds.set(version, (served = { kind, version }));
  return served;
}

/** The object in its kind's storage version (unchanged when it is in it already). */
export function toStorage(served: ServedKind, object: Resource): Resource {
  return served.version.toStorage?.(object) ?? object;
}

/** A stored object in the version `served` asks for (unchanged when that is the storage version). */
export function fromStorage(served: ServedKind, object: Resource): Resource {
  return served.version.fromStorage?.(object) ?? object;
}
