/**
 * The outbound guard (docs/security.md): which addresses cemesh may deliver to. Subscribers, dead-letter
 * sinks and replies are URLs anyone with the admin token writes, and a response body comes back in a
 * dead-letter event's `knativeerrordata`, so an unguarded sender reads cloud metadata services and internal
 * admin ports for whoever can create a trigger (server-side request forgery with read-back).
 *
 * - link-local (169.254.0.0/16, fe80::/10, which hold the metadata services), metadata addresses elsewhere
 *   (fd00:ec2::254, 100.100.100.200) and unspecified addresses (0.0.0.0/8, ::) are always refused;
 * - cemesh's own admin and gateway listeners are always refused (its ingress is not: a broker is a valid
 *   subscriber, and the TTL bounds a loop);
 * - loopback and private addresses are allowed while cemesh itself listens on loopback only (a developer's
 *   machine, the tour, tests), refused once it listens elsewhere, unless `--subscriber-allow CIDR` lists them.
 *
 * Pure: decisions on addresses; the sender applies them to every resolved address at connect time, so a name
 * that resolves differently later (DNS rebinding) is still checked.
 */
import { BlockList, isIP } from 'node:net';
import { urlParts } from '../../core/url-parts.js';

export interface OutboundPolicy {
  /** Loopback and private addresses are allowed (cemesh listens on loopback only). */
  readonly allowPrivate: boolean;
  /** CIDRs the operator allows even when private or loopback (`--subscriber-allow`). */
  readonly allow: readonly string[];
  /** Ports of cemesh's own listeners that must never be targets, with the addresses they listen on. */
  readonly ownListeners: readonly { readonly host: string; readonly port: number }[];
}

function blockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix] = cidr.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

const ALWAYS_REFUSED = blockList([
  '169.254.0.0/16',
  'fe80::/10',
  '0.0.0.0/8',
  '::/128',
  'fd00:ec2::254/128',
  '100.100.100.200/32',
]);
const LOOPBACK = blockList(['127.0.0.0/8', '::1/128']);
const PRIVATE = blockList(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']);

/** Checks a CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address; a message, or undefined when valid. */
export function cidrProblem(cidr: string): string | undefined {
  const [address = '', prefix, extra] = cidr.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return `"${cidr}" is not an IP address or CIDR such as 10.0.0.0/8`;
  if (prefix === undefined) return undefined;
  const bits = Number(prefix);
  if (!/^[0-9]{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128))
    return `"${cidr}" has an invalid prefix length`;
  return undefined;
}

/** A guard compiled from a policy: `refusal(address, port)` says why an address is refused, or undefined. */
export interface OutboundGuard {
  refusal(address: string, port: number): string | undefined;
}

export function compileOutboundGuard(policy: OutboundPolicy): OutboundGuard {
  const allowed = blockList(policy.allow);
  const ownPorts = new Set(policy.ownListeners.map((listener) => listener.port));
  const ownHosts = new Set(policy.ownListeners.map((listener) => unmapped(listener.host)));
  // Answers by address and port: manifests name the same few subscribers many times, and a BlockList check
  // costs tens of microseconds (10,000 triggers applied at once checked 10,000 times).
  const answers = new Map<string, string | undefined>();
  const refusal = (raw: string, port: number): string | undefined => {
    const key = `${raw} ${port}`;
    if (answers.has(key)) return answers.get(key);
    if (answers.size >= MAX_REMEMBERED) answers.clear();
    const answer = check(raw, port);
    answers.set(key, answer);
    return answer;
  };
  const check = (raw: string, port: number): string | undefined => {
    const address = unmapped(raw);
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (ALWAYS_REFUSED.check(address, type))
      return `${address} is a link-local, metadata or unspecified address`;
    const loopback = LOOPBACK.check(address, type);
    if (ownPorts.has(port) && (loopback || ownHosts.has(address) || anyHost(ownHosts)))
      return `${address}:${port} is one of cemesh's own listeners`;
    if (!loopback && !PRIVATE.check(address, type)) return undefined;
    if (policy.allowPrivate || allowed.check(address, type)) return undefined;
    return (
      `${address} is a ${loopback ? 'loopback' : 'private'} address and cemesh listens beyond loopback; ` +
      'allow it with --subscriber-allow'
    );
  };
  return { refusal };
}

/** Answers a guard keeps at most. */
const MAX_REMEMBERED = 1024;

/** True when `host` is a loopback address or `localhost`: cemesh then listens on loopback only. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const address = unmapped(host.replace(/^\[|\]$/g, ''));
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

function anyHost(hosts: ReadonlySet<string>): boolean {
  return hosts.has('0.0.0.0') || hosts.has('::');
}

/** `::ffff:10.0.0.1` -> `10.0.0.1`: an IPv4 address written as IPv6 is checked as IPv4. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}

/** Host names of metadata services that resolve to link-local addresses only inside their clouds. */
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata',
  'instance-data',
  'metadata.azure.internal',
]);

/**
 * Why the guard refuses a destination URL by what it names, before any lookup: an IP address, `localhost`
 * or a metadata service's name. Other names are checked when they are resolved, at connect time.
 */
export function uriRefusal(guard: OutboundGuard, uri: string): string | undefined {
  const url = urlParts(uri);
  if (url === undefined) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (METADATA_NAMES.has(host.replace(/\.$/, ''))) return `${host} is a cloud metadata service`;
  if (host === 'localhost' || host.endsWith('.localhost')) return guard.refusal('127.0.0.1', port);
  return isIP(host) === 0 ? undefined : guard.refusal(host, port);
}
