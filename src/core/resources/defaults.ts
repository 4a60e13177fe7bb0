/**
 * Names every layer shares about namespaces, written once: the namespace that always exists, and the rule
 * that a namespaced object written without a namespace is in it (as kubectl and the Kubernetes API do).
 */

/** The namespace the server creates at start; it cannot be deleted. */
export const DEFAULT_NAMESPACE = 'default';

/** The kind that holds namespaced objects; deleting one deletes what it holds. */
export const NAMESPACE_KIND = 'Namespace';

/** The namespace an object (or a reference) is in: its own, else `default`. */
export function namespaceOrDefault(namespace: string | undefined): string {
  return namespace === undefined || namespace === '' ? DEFAULT_NAMESPACE : namespace;
}
