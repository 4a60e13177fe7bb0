/**
 * Whether a cluster-local address (`http://<name>.<namespace>.svc.cluster.local`, what a Service `ref`
 * resolves to, or a Kyma-style sink URL) reaches anything: a Function hosted by cemesh of that name, or a
 * host name that resolves (cemesh beside a cluster, a hosts file, a local resolver). Without this a trigger
 * to a missing Service showed Ready and failed every delivery with ENOTFOUND
 * (docs/decisions/destination-resolution.md).
 */
import { lookup } from 'node:dns/promises';

/** How long one lookup may take before the address counts as not found (and is looked up again later). */
const LOOKUP_TIMEOUT_MS = 2000;

const CLUSTER_LOCAL =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/;

/**
 * A URI of printable ASCII without `%` names its host as written: if it does not hold `.svc.cluster.local`, its host
 * cannot be cluster-local. Anything else (percent-encoding, non-ASCII dots the URL parser maps to `.`) is parsed.
 */
const PLAIN_ASCII = /^[\x21-\x24\x26-\x7e]*$/;
const MENTIONS_CLUSTER_LOCAL = /\.svc\.cluster\.local/i;

/** The Service a cluster-local URL names, or undefined for any other URL. */
export function clusterLocalService(uri: string): { namespace: string; name: string } | undefined {
  // Every trigger reconciled asks: parsing took 0.6-2.5 us a URI here, this check 0.1-0.3 us (BENCHMARKS.md, SA).
  if (PLAIN_ASCII.test(uri) && !MENTIONS_CLUSTER_LOCAL.test(uri)) return undefined;
  let host: string;
  try {
    host = new URL(uri).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const match = CLUSTER_LOCAL.exec(host.endsWith('.') ? host.slice(0, -1) : host);
  return match ? { name: match[1]!, namespace: match[3]! } : undefined;
}

/** Why `host` does not resolve (the resolver's code), or undefined when it does. */
export async function unresolvedHost(
  host: string,
  timeoutMs = LOOKUP_TIMEOUT_MS,
): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
  });
  try {
    return await Promise.race([
      lookup(host).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => error.code ?? error.message,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type ServiceCheck =
  | { readonly found: true }
  | { readonly found: false; readonly reason: 'ServiceNotFound'; readonly message: string };

/**
 * Checks a resolved destination URL: anything but a cluster-local address passes; a cluster-local one passes
 * when a Function of that name is hosted or the name resolves.
 */
export async function checkClusterLocal(
  uri: string,
  functionExists: (namespace: string, name: string) => boolean,
  resolveHost: (host: string) => Promise<string | undefined> = unresolvedHost,
): Promise<ServiceCheck> {
  const service = clusterLocalService(uri);
  if (service === undefined || functionExists(service.namespace, service.name)) return { found: true };
  const host = new URL(uri).hostname;
  const why = await resolveHost(host);
  if (why === undefined) return { found: true };
  return {
    found: false,
    reason: 'ServiceNotFound',
    message: `Service ${service.namespace}/${service.name} not found: no Function of that name and ${host} does not resolve (${why}); looked up again with backoff`,
  };
}
