/**
 * The kinds cemesh serves, by their entries (`kind.ts` KindEntry: names, versions, printing): one line per
 * kind below. The CLI finds kinds here without loading any admission code; the server's `registry.ts`
 * puts each kind's full definition in place of its entry, so one list answers both. `registerKind` adds
 * one more at run time (tests do; so could an embedding program) before the server starts.
 */
import { applicationEntry } from './application/entry.js';
import { applicationMappingEntry } from './applicationmapping/entry.js';
import { brokerEntry } from './broker/entry.js';
import { configMapEntry } from './configmap/entry.js';
import { eventPolicyEntry } from './eventpolicy/entry.js';
import { functionEntry } from './function/entry.js';
import { isGroupVersion, type KindEntry, type KindVersion } from './kind.js';
import { namespaceEntry } from './namespace/entry.js';
import type { Resource } from './object.js';
import { subscriptionEntry } from './subscription/entry.js';
import { triggerEntry } from './trigger/entry.js';

const registered: KindEntry[] = [];

/**
 * Adds a kind. Throws when its entry is inconsistent or a name clashes with a served kind (the same kind
 * name, plural in its group, or short name), because lookups by any name must stay unambiguous. Returns a
 * function that removes it again.
 */
export function registerKind(entry: KindEntry): () => void {
  const problem = entryProblem(entry);
  if (problem !== undefined) throw new Error(`kind ${entry.kind}: ${problem}`);
  registered.push(entry);
  return () => {
    const at = registered.indexOf(entry);
    if (at >= 0) registered.splice(at, 1);
  };
}

/**
 * Puts a kind's full definition (the same names) in place of its entry; the server's registry does, once
 * for each kind. Throws when no entry of that kind is registered.
 */
export function defineKind(definition: KindEntry): void {
  const at = registered.findIndex((k) => k.kind === definition.kind);
  if (at < 0) throw new Error(`kind ${definition.kind}: it has no entry in the catalog`);
  registered[at] = definition;
}

function entryProblem(entry: KindEntry): string | undefined {
  const versions = entry.versions.map((v) => v.name);
  if (!versions.includes(entry.storageVersion))
    return `storage version ${entry.storageVersion} is not among its versions (${versions.join(', ')})`;
  if (new Set(versions).size !== versions.length) return 'a version is listed twice';
  const unconvertible = entry.versions.find(
    (v) => v.name !== entry.storageVersion && (v.toStorage === undefined || v.fromStorage === undefined),
  );
  if (unconvertible !== undefined)
    return `version ${unconvertible.name} needs toStorage and fromStorage (it is not the storage version)`;
  for (const other of registered) {
    if (other.kind.toLowerCase() === entry.kind.toLowerCase()) return 'is already registered';
    if (other.group === entry.group && other.plural === entry.plural)
      return `plural ${entry.plural} is already served by ${other.kind}`;
    const names = [entry.singular, entry.plural, ...entry.shortNames];
    const otherNames = new Set([other.kind.toLowerCase(), other.singular, other.plural, ...other.shortNames]);
    const clash = names.find((n) => otherNames.has(n));
    if (clash !== undefined) return `name ${clash} already names ${other.kind}`;
  }
  return undefined;
}

for (const entry of [
  namespaceEntry,
  configMapEntry,
  brokerEntry,
  triggerEntry,
  applicationEntry,
  applicationMappingEntry,
  functionEntry,
  eventPolicyEntry,
  subscriptionEntry,
]) {
  registerKind(entry);
}

/** Every served kind, in registration order. */
export function allKinds(): readonly KindEntry[] {
  return registered;
}

/** Finds a kind by any of its names (kind, singular, plural, short), case-insensitively. */
export function findKind(name: string): KindEntry | undefined {
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
export function kindNamed(kind: string): KindEntry | undefined {
  return registered.find((k) => k.kind === kind);
}

/** A kind and one of its versions: what an apiVersion and kind, or an API path, name. */
export interface ServedKind<Kind extends KindEntry = KindEntry> {
  readonly kind: Kind;
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

/**
 * The kind and served version an object's apiVersion and kind name (both must be strings), the kind's spelling
 * matched case-insensitively as `findKindOf` does; `defaultResource` then stores the canonical spelling, so
 * every stored object has it.
 */
export function servedKindOf(object: {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
}): ServedKind | undefined {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return findKindOf(apiVersion, kind);
}

function sameKindName(registeredKind: string, given: string): boolean {
  return (
    registeredKind === given ||
    (registeredKind.length === given.length && registeredKind.toLowerCase() === given.toLowerCase())
  );
}

const servedKinds = new WeakMap<KindVersion, ServedKind>();

function servedKind(kind: KindEntry, version: KindVersion): ServedKind {
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
