/** The API paths of ARCHITECTURE 2.4, built from the kinds' catalog entries. */
import { allKinds, findKind, findKindOf, type ServedKind } from '../../core/resources/catalog.js';
import { collectionPath, servedApiVersions, type KindEntry } from '../../core/resources/kind.js';
import { DEFAULT_NAMESPACE, namespaceOrDefault } from '../../core/resources/defaults.js';
import { didYouMean } from '../../core/suggest.js';
import { ClientError, failure } from './errors.js';

export { collectionPath, DEFAULT_NAMESPACE };

/** A kind given by any of its names (`broker`, `brokers`, `brk`, `Broker`) or as its catalog entry. */
export type KindRef = string | KindEntry;

export function resolveKind(kind: KindRef): KindEntry {
  if (typeof kind !== 'string') return kind;
  const found = findKind(kind);
  if (found === undefined) {
    const known = allKinds()
      .map((k) => k.plural)
      .join(', ');
    const names = allKinds().flatMap((k) => [k.singular, k.plural, ...k.shortNames]);
    const hint = didYouMean(kind, names);
    throw new ClientError(
      failure(404, 'NotFound', `unknown kind "${kind}"${hint}; cemesh serves ${known}`, [
        { field: 'kind', message: `unknown kind "${kind}"` },
      ]),
    );
  }
  return found;
}

/**
 * The kind and version an object's apiVersion and kind name (kind spelled in any case). An object of an
 * unknown kind, or of a known kind under an apiVersion it is not served in, is rejected naming the field at
 * fault.
 */
export function kindOfObject(object: { apiVersion?: unknown; kind?: unknown }): ServedKind {
  const { apiVersion, kind } = object;
  if (typeof kind !== 'string' || kind === '') throw invalidType('kind', 'required');
  if (typeof apiVersion !== 'string' || apiVersion === '') throw invalidType('apiVersion', 'required');
  const served = findKindOf(apiVersion, kind);
  if (served !== undefined) return served;
  const sameName = allKinds().find((k) => k.kind.toLowerCase() === kind.toLowerCase());
  if (sameName !== undefined) {
    throw invalidType(
      'apiVersion',
      `${sameName.kind} is served as ${servedApiVersions(sameName).join(', ')}, not ${apiVersion}`,
    );
  }
  throw invalidType('kind', `unknown kind "${kind}" in ${apiVersion}`);
}

function invalidType(field: string, message: string): ClientError {
  return new ClientError(failure(404, 'NotFound', `${field}: ${message}`, [{ field, message }]));
}

/** The path of one object; a namespaced kind's object without a namespace is in `default`. */
export function objectPath(kind: KindEntry, name: string, namespace?: string, version?: string): string {
  const ns = kind.namespaced ? namespaceOrDefault(namespace) : undefined;
  return `${collectionPath(kind, ns, version)}/${encodeURIComponent(name)}`;
}
