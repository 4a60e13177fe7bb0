/** The API paths of ARCHITECTURE 2.4, built from the kind table. */
import { findKind, findKindOf, kinds, apiVersionOf, type KindInfo } from '../../core/resources/kinds.js';
import { didYouMean } from '../../core/suggest.js';
import { ClientError, failure } from './errors.js';

export const DEFAULT_NAMESPACE = 'default';

/** A kind given by any of its names (`broker`, `brokers`, `brk`, `Broker`) or as its KindInfo. */
export type KindRef = string | KindInfo;

export function resolveKind(kind: KindRef): KindInfo {
  if (typeof kind !== 'string') return kind;
  const found = findKind(kind);
  if (found === undefined) {
    const known = kinds.map((k) => k.plural).join(', ');
    const names = kinds.flatMap((k) => [k.singular, k.plural, ...k.shortNames]);
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
 * The kind an object's apiVersion and kind name (kind spelled in any case). An object of an unknown kind,
 * or of a known kind under another apiVersion, is rejected naming the field at fault.
 */
export function kindOfObject(object: { apiVersion?: unknown; kind?: unknown }): KindInfo {
  const { apiVersion, kind } = object;
  if (typeof kind !== 'string' || kind === '') throw invalidType('kind', 'required');
  if (typeof apiVersion !== 'string' || apiVersion === '') throw invalidType('apiVersion', 'required');
  const exact = findKindOf(apiVersion, kind);
  if (exact !== undefined) return exact;
  const sameName = kinds.find((k) => k.kind.toLowerCase() === kind.toLowerCase());
  if (sameName !== undefined && apiVersionOf(sameName) === apiVersion) return sameName;
  if (sameName !== undefined) {
    throw invalidType(
      'apiVersion',
      `${sameName.kind} is served as ${apiVersionOf(sameName)}, not ${apiVersion}`,
    );
  }
  throw invalidType('kind', `unknown kind "${kind}" in ${apiVersion}`);
}

function invalidType(field: string, message: string): ClientError {
  return new ClientError(failure(404, 'NotFound', `${field}: ${message}`, [{ field, message }]));
}

/** `/apis/{group}/{version}[/namespaces/{ns}]/{plural}`; namespace undefined = all namespaces. */
export function collectionPath(kind: KindInfo, namespace?: string): string {
  const base = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns = kind.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${kind.plural}`;
}

export function objectPath(kind: KindInfo, name: string, namespace?: string): string {
  const ns = kind.namespaced ? (namespace ?? DEFAULT_NAMESPACE) : undefined;
  return `${collectionPath(kind, ns)}/${encodeURIComponent(name)}`;
}
