/** How the CLI names kinds and objects in its output, as kubectl does. */
import type { KindEntry } from '../core/resources/kind.js';
import { DEFAULT_NAMESPACE } from '../core/resources/defaults.js';

/** `broker.eventing.knative.dev`, or `configmap` for the core group. */
export function typeName(kind: KindEntry): string {
  return kind.group === '' ? kind.singular : `${kind.singular}.${kind.group}`;
}

/** `broker.eventing.knative.dev/default`, the prefix of apply's lines. */
export function objectLabel(kind: KindEntry, name: string): string {
  return `${typeName(kind)}/${name}`;
}

/** `NS/NAME` into its parts; a bare NAME is in namespace `default`. */
export function splitRef(ref: string, what: string): { namespace: string; name: string } {
  const parts = ref.split('/');
  if (parts.length === 1 && parts[0]) return { namespace: DEFAULT_NAMESPACE, name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  throw new Error(`"${ref}" is not a ${what} reference: write NAMESPACE/NAME`);
}
