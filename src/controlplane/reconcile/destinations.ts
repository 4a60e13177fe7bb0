/**
 * Resolves a Knative Destination (`uri`, `ref`, or `ref` + relative `uri`) to a URL.
 *
 * Without Kubernetes there is no API server to ask for an addressable's `status.address`, so cemesh
 * resolves by the same rules Knative's resolver ends up with (docs/decisions/destination-resolution.md):
 * - a Broker: its ingress address;
 * - a Kubernetes Service (`v1`) or a Knative Service (`serving.knative.dev/v1`): the cluster-local address
 *   Knative would give it, `http://<name>.<namespace>.svc.cluster.local`, so manifests written for a cluster
 *   apply unchanged and work wherever that name resolves (cluster DNS, a hosts file, a local resolver);
 * - anything else is not resolvable and says so.
 */
import type { DestinationSpec } from '../../core/delivery/index.js';

export type Resolution = { readonly uri: string } | { readonly reason: string; readonly message: string };

const SERVICE_API_VERSIONS = new Set(['v1', 'serving.knative.dev/v1']);

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
  const refNamespace = ref.namespace ?? namespace;
  let base: string | undefined;
  if (
    ref.kind === 'Broker' &&
    (ref.apiVersion === undefined || ref.apiVersion.startsWith('eventing.knative.dev/'))
  ) {
    base = brokerUrl(refNamespace, ref.name);
    if (base === undefined) {
      return {
        reason: 'ReferenceNotFound',
        message: `Broker ${refNamespace}/${ref.name} has no address yet`,
      };
    }
  } else if (ref.kind === 'Service' && SERVICE_API_VERSIONS.has(ref.apiVersion ?? 'v1')) {
    base = `http://${ref.name}.${refNamespace}.svc.cluster.local`;
  } else {
    return {
      reason: 'UnresolvableReference',
      message: `cannot resolve ${ref.kind} "${ref.name}" (${ref.apiVersion ?? 'no apiVersion'}): cemesh resolves Brokers and Services; give an absolute uri instead`,
    };
  }
  return { uri: uri === undefined ? base : new URL(uri, base.endsWith('/') ? base : `${base}/`).toString() };
}
