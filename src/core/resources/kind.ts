/**
 * What cemesh knows about one kind of resource, in two parts:
 * - `KindEntry`: its names (as a CustomResourceDefinition gives them), the versions it is served in and how
 *   it is printed. This is all a client needs, kept in the kind's folder (`<kind>/entry.ts`) and listed in
 *   `catalog.ts`, which the CLI loads without any of the server's admission code.
 * - `KindDefinition`: the entry and its admission rules and conditions (`<kind>/index.ts`), listed in
 *   `registry.ts`; the API, `apply`, discovery and the reconciler read it from there.
 */
import type { FieldError } from '../errors.js';
import type { ConditionSet } from './conditions.js';
import type { JsonObject } from './fields.js';
import type { Resource } from './object.js';
import type { KindSchema } from './schema.js';

/**
 * One version a kind is served in. The storage version is what is validated, defaulted and stored; any
 * other served version converts to it on the way in and back from it on the way out, as a CRD conversion
 * webhook does (an object is stored once, in one version, and read in any served one).
 */
export interface KindVersion {
  /** `v1`, `v1beta1`, ... */
  readonly name: string;
  /** Converts an object written in this version to the storage version (absent on the storage version). */
  readonly toStorage?: (object: Resource) => Resource;
  /** Converts a stored object to this version (absent on the storage version). */
  readonly fromStorage?: (object: Resource) => Resource;
}

/** A table column, in the shape of a CRD's `additionalPrinterColumns`. */
export interface PrinterColumn {
  /** Upper-cased for the header, as kubectl does. */
  readonly name: string;
  /** `date` columns print the age; the others print the value. */
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A JSONPath the way kubectl writes them: `.status.address.url`, `.status.conditions[?(@.type=="Ready")].status`. */
  readonly jsonPath: string;
  /** 0 (default) is shown always; greater only with `-o wide`. */
  readonly priority?: number;
  readonly description?: string;
  /**
   * How the value found at `jsonPath` is shown, when printing it as it is would not do (a ConfigMap's DATA
   * is the number of its keys). Clients that only know the CRD shape print the value itself.
   */
  readonly format?: (value: unknown) => string;
}

/** Names of a kind, as a CustomResourceDefinition's `spec.names` and `spec.group` give them. */
export interface KindNames {
  readonly kind: string;
  /** '' for the core group (`/api/v1`). */
  readonly group: string;
  /** Served versions; exactly one is `storageVersion`. */
  readonly versions: readonly KindVersion[];
  readonly storageVersion: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  /** Groupings `cemesh get <category>` could list together (`all`, `knative`, `eventing`, ...). */
  readonly categories: readonly string[];
  readonly namespaced: boolean;
}

/** What a client needs to know about a kind: its names, and how it is printed and sampled. */
export interface KindEntry extends KindNames {
  /** One sentence for discovery, OpenAPI and `cemesh explain`-like help. */
  readonly description: string;
  /**
   * The object's own content, whose changes bump `metadata.generation` and which `describe` prints: `spec`,
   * or `data` for a ConfigMap (which has no spec), as in Kubernetes.
   */
  readonly content: 'spec' | 'data';
  /** Namespaces' names are DNS labels in Kubernetes; every other name is a DNS subdomain. */
  readonly nameFormat: 'dns1123-label' | 'dns1123-subdomain';
  /** Columns of `cemesh get` after NAME (and NAMESPACE with `-A`). */
  readonly printerColumns: readonly PrinterColumn[];
  /**
   * Which delivery history names this object, for `describe`'s recent deliveries: the events a broker
   * accepted, or the deliveries of a trigger. Absent: the kind has no history.
   */
  readonly history?: 'broker' | 'trigger';
  /**
   * A starting point for a new object: the console's New and `cemesh create KIND NAME` start from it, and
   * discovery serves it (`sample` on the kind's resource). Absent: the kind is created from a manifest only.
   */
  readonly sample?: KindSample;
  /**
   * Applies defaults to a copy the caller owns, and returns it. A client applies them too, to tell whether
   * an `apply` would change anything the user wrote.
   */
  readonly defaults?: (object: Resource) => Resource;
}

/** A kind as the server serves it: its entry, and its admission rules and conditions. */
export interface KindDefinition extends KindEntry {
  /**
   * Every field an object of the kind may hold (OpenAPI v3, as a CRD's `openAPIV3Schema`): a field it
   * does not declare is unknown, refused or dropped as `?fieldValidation=` says (`schema.ts`).
   */
  readonly schema: KindSchema;
  /**
   * Checks what is specific to the kind; type fields and metadata are checked before, and which fields
   * exist is the schema's: this reads only declared fields.
   */
  readonly validate: (object: JsonObject) => FieldError[];
  /** The errors of an update from `previous` to `next` (both defaulted): fields that must not change. */
  readonly validateUpdate?: (previous: Resource, next: Resource) => FieldError[];
  /** The conditions `Ready` is derived from. */
  readonly conditions: ConditionSet;
}

/** A valid new object of a kind, without its type fields and namespace (the caller's). */
export interface KindSample {
  readonly name: string;
  /** The object's content (`spec` or `data`, as the kind's `content` says); absent when empty. */
  readonly content?: JsonObject;
}

/** The kind's sample as a full object in its storage version, named `name` (the sample's by default). */
export function sampleObject(
  kind: KindEntry,
  namespace: string | undefined,
  name?: string,
): Resource | undefined {
  if (kind.sample === undefined) return undefined;
  const { content } = kind.sample;
  return {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    metadata: {
      name: name ?? kind.sample.name,
      ...(kind.namespaced && namespace !== undefined ? { namespace } : {}),
    },
    ...(content === undefined ? {} : { [kind.content]: structuredClone(content) }),
  };
}

/** `eventing.knative.dev/v1`, or `v1` for the core group. */
export function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** `groupVersion(group, version) === apiVersion`, without building the string. */
export function isGroupVersion(apiVersion: string, group: string, version: string): boolean {
  if (group === '') return apiVersion === version;
  return (
    apiVersion.length === group.length + 1 + version.length &&
    apiVersion.charCodeAt(group.length) === SLASH &&
    apiVersion.startsWith(group) &&
    apiVersion.endsWith(version)
  );
}

const SLASH = 0x2f;

/** The apiVersion objects of the kind are stored (and by default written and read) in. */
export function apiVersionOf(kind: KindNames): string {
  return groupVersion(kind.group, kind.storageVersion);
}

/** Every apiVersion the kind is served in, the storage one first. */
export function servedApiVersions(kind: KindNames): string[] {
  const others = kind.versions.filter((v) => v.name !== kind.storageVersion).map((v) => v.name);
  return [kind.storageVersion, ...others].map((v) => groupVersion(kind.group, v));
}

/** `brokers.eventing.knative.dev`, or `configmaps` for the core group: how Kubernetes names a resource type. */
export function resourceName(kind: KindNames): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

/**
 * The collection path of a kind in one version (the storage version by default), e.g.
 * `/apis/eventing.knative.dev/v1/namespaces/default/brokers`; namespace undefined = every namespace, or a
 * cluster-scoped kind.
 */
export function collectionPath(kind: KindNames, namespace?: string, version = kind.storageVersion): string {
  const base = kind.group === '' ? `/api/${version}` : `/apis/${kind.group}/${version}`;
  const ns = kind.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${kind.plural}`;
}
