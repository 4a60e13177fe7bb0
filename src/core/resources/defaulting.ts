/**
 * An object as the server stores it: in its kind's storage version, with the kind's defaults and canonical
 * spelling. Reads only the catalog's entries, so a client (`apply`'s "unchanged") computes the same form
 * without loading admission code.
 */
import { servedKindOf, toStorage } from './catalog.js';
import { jsonCopy } from './json-copy.js';
import type { Resource } from './object.js';

/**
 * Returns a new object in its kind's storage version with the kind's defaults applied (the input is not
 * changed), and the kind's canonical spelling. Expects an object `validateResource` accepted.
 */
export function defaultResource(object: Resource): Resource {
  const served = servedKindOf(object);
  if (served === undefined) return jsonCopy(object);
  const copy = jsonCopy(toStorage(served, object));
  copy.kind = served.kind.kind;
  return served.kind.defaults?.(copy) ?? copy;
}

/**
 * The part of an object whose changes bump `metadata.generation`: `spec`, or `data` for a ConfigMap (which
 * has no spec), as in Kubernetes. Metadata, annotations included, and status do not count.
 */
export function specOf(object: Resource): unknown {
  return servedKindOf(object)?.kind.content === 'data' ? object.data : object.spec;
}
