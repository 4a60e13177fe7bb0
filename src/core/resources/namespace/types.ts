/**
 * Namespace (`v1`, cluster-scoped). cemesh reads one annotation from it: the persistence shorthand of
 * ARCHITECTURE 2.6, used by the namespace's brokers unless a broker's `spec.config` says otherwise.
 */
import { annotationOf } from '../metadata.js';
import type { Resource } from '../object.js';
import { isPersistenceKind, type PersistenceKind } from '../persistence-kind.js';

export const PERSISTENCE_ANNOTATION = 'eventing.cemesh.dev/persistence';

/** The persistence a Namespace names with its annotation, if it names a valid one. */
export function namespacePersistence(namespace: Resource): PersistenceKind | undefined {
  const value = annotationOf(namespace.metadata, PERSISTENCE_ANNOTATION);
  return isPersistenceKind(value) ? value : undefined;
}
