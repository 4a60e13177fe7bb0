/**
 * Starting points for New: the sample each kind declares (discovery's `sample`), as YAML in the selected
 * namespace. A kind the server adds brings its own.
 */
import { stringify } from 'yaml';
import { findKind, type Kind } from './kinds.js';

/** The kinds that have a sample, in discovery order. */
export function templateKinds(kinds: readonly Kind[]): Kind[] {
  return kinds.filter((k) => k.sample !== undefined);
}

/** The kind's sample as a manifest in `namespace` (namespaced kinds), or '' when the kind has none. */
export function templateOf(kind: Kind | undefined, namespace: string): string {
  const sample = kind?.sample;
  if (kind === undefined || sample === undefined) return '';
  const metadata = { ...sample.metadata, ...(kind.namespaced ? { namespace } : {}) };
  return stringify({ ...sample, metadata });
}

/** What New starts from: a Broker, the usual first object, else the first kind that has a sample. */
export function newResourceKind(kinds: readonly Kind[]): Kind | undefined {
  return findKind(kinds, 'Broker') ?? templateKinds(kinds)[0];
}
