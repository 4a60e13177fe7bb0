/**
 * Resolves a Knative Destination (`uri`, `ref`, or `ref` + relative `uri`) to a URL.
 *
 * Without Kubernetes there is no API server to ask for an addressable's `status.address`, so cemesh
 * resolves by the same rules Knative's resolver ends up with (docs/decisions/destination-resolution.md):
 * - a Broker: its ingress address;
 * - a Kyma Function (`serverless.kyma-project.io/v1alpha2`) hosted by cemesh: the address of the Service Kyma
 *   creates for it, `http://<name>.<namespace>.svc.cluster.local`, which the delivery sender maps to the
 *   function's replicas; a Function that does not exist is not resolved;
 * - a Kubernetes Service (`v1`) or a Knative Service (`serving.knative.dev/v1`): the cluster-local address
 *   Knative would give it, `http://<name>.<namespace>.svc.cluster.local`, so manifests written for a cluster
 *   apply unchanged and work wherever that name resolves (cluster DNS, a hosts file, a local resolver); the
 *   trigger reconciler then checks that such an address reaches something (service-lookup.ts);
 * - anything else is not resolvable and says so.
 */
import type { DestinationSpec } from '../../core/delivery/index.js';

export type Resolution = { readonly uri: string } | { readonly reason: string; readonly message: string };

const SERVICE_API_VERSIONS = new Set(['v1', 'serving.knative.dev/v1']);
const FUNCTION_GROUP = 'serverless.kyma-project.io/';

/** The cluster-local address Kubernetes gives a Service (and Kyma a Function, through its Service). */
export function clusterLocalUrl(namespace: string, name: string): string {
  return `http://${name}.${namespace}.svc.cluster.local`;
}

export function resolveDestination(
  destination: DestinationSpec,
  namespace: string,
  brokerUrl: (namespace: string, name: string) => string | undefined,
  functionExists: (namespace: string, name: string) => boolean = () => false,
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
  } else if (ref.kind === 'Function' && (ref.apiVersion ?? FUNCTION_GROUP).startsWith(FUNCTION_GROUP)) {
    if (!functionExists(refNamespace, ref.name)) {
      return { reason: 'FunctionNotFound', message: `Function ${refNamespace}/${ref.name} does not exist` };
    }
    base = clusterLocalUrl(refNamespace, ref.name);
  } else if (ref.kind === 'Service' && SERVICE_API_VERSIONS.has(ref.apiVersion ?? 'v1')) {
    base = clusterLocalUrl(refNamespace, ref.name);
  } else {
    return {
      reason: 'UnresolvableReference',
      message: `cannot resolve ${ref.kind} "${ref.name}" (${ref.apiVersion ?? 'no apiVersion'}): cemesh resolves Brokers, Functions and Services; give an absolute uri instead`,
    };
  }
  return { uri: uri === undefined ? base : new URL(uri, base.endsWith('/') ? base : `${base}/`).toString() };
}
