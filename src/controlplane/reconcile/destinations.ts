/**
 * Resolves a Knative Destination (`uri`, `ref`, or `ref` + relative `uri`) to a URL. Without Kubernetes,
 * the only addressable kind cemesh can resolve by reference is a Broker (its ingress address).
 */
import type { DestinationSpec } from '../../core/delivery/index.js';

export type Resolution = { readonly uri: string } | { readonly reason: string; readonly message: string };

export function resolveDestination(
  destination: DestinationSpec,
  namespace: string,
  brokerUrl: (namespace: string, name: string) => string | undefined,
): Resolution {
  const { uri, ref } = destination;
  if (!ref) {
    if (uri === undefined) return { reason: 'DestinationMissing', message: 'neither uri nor ref is set' };
    return { uri };
  }
  if (
    ref.kind !== 'Broker' ||
    (ref.apiVersion !== undefined && !ref.apiVersion.startsWith('eventing.knative.dev/'))
  ) {
    return {
      reason: 'UnresolvableReference',
      message: `cannot resolve ${ref.kind} "${ref.name}": cemesh resolves references to Brokers only; give an absolute uri instead`,
    };
  }
  const base = brokerUrl(ref.namespace ?? namespace, ref.name);
  if (base === undefined) {
    return {
      reason: 'ReferenceNotFound',
      message: `Broker ${ref.namespace ?? namespace}/${ref.name} has no address yet`,
    };
  }
  return { uri: uri === undefined ? base : new URL(uri, base.endsWith('/') ? base : `${base}/`).toString() };
}
