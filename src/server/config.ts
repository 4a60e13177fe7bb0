/**
 * Server configuration: parsed from flags, `CEMESH_<FLAG>` environment variables and an optional YAML file
 * (in that order of precedence), validated, defaulted and frozen once at the entry point (STYLE 8).
 */
import type { BacklogLimits } from '../store/memory/backlog.js';
import { parse as parseYaml } from 'yaml';
import { parseIsoDuration } from '../core/delivery/index.js';
import { envName } from '../core/settings.js';
import type { PersistenceKind } from '../core/resources/index.js';
import type { Resource } from '../core/resources/object.js';
import { cidrProblem } from '../dataplane/outbound/guard.js';
import { ConfigError } from './config-error.js';
import { LIMIT_SETTINGS, parseListenerLimits, type ListenerLimits } from './limits.js';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly adminPort: number;
  readonly gatewayPort: number;
  readonly dataDir: string;
  readonly backend: PersistenceKind;
  readonly nats: readonly string[];
  /** Largest accepted ingress request body (ARCHITECTURE 2.2: 1 MiB). */
  readonly maxBodyBytes: number;
  readonly logLevel: string;
  /** How long delivered events stay retained for replay (embedded), in ms. */
  readonly retentionMs: number;
  /** Size limit of the embedded store; over it ingress answers 507. */
  readonly maxStoreBytes: number;
  /** Test fault hook (env CEMESH_FAULT_COMMIT_DELAY_MS): every embedded commit waits this long first. */
  readonly faultCommitDelayMs: number;
  /** The memory backend's backlog limits (undelivered events and their bytes, per broker and in total). */
  readonly memoryBacklog: BacklogLimits;
  /** JetStream: replicas of every stream and of the resources bucket (1, or 3/5 on a cluster). */
  readonly natsReplicas: number;
  /** JetStream: a `.creds` file, and a CA file for TLS (`tls://` URLs); user and password go in the URL. */
  readonly natsCreds: string | undefined;
  readonly natsTlsCa: string | undefined;
  /** The admin token to use instead of the generated one (replicas sharing one NATS share one token). */
  readonly adminToken: string | undefined;
  /**
   * The ingress URL brokers publish in `status.address` instead of this process's listen address: the address
   * senders reach, e.g. a load balancer in front of several replicas (which then all publish the same one).
   */
  readonly advertiseUrl: string | undefined;
  /** Bounded wait for in-flight deliveries on SIGTERM. */
  readonly drainMs: number;
  /** Timeouts, header size and connection caps of every listener (docs/security.md). */
  readonly limits: ListenerLimits;
  /** CIDRs subscribers may be in although private or loopback, when cemesh listens beyond loopback. */
  readonly subscriberAllow: readonly string[];
  /** PEM certificate and key every listener serves HTTPS with (`--tls-cert`, `--tls-key`); both or neither. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** More names the admin listener answers to besides IPs, localhost and this machine's (`*`: any). */
  readonly adminHosts: readonly string[];
  /** Resources applied at start (from the config file's `resources` list). */
  readonly resources: readonly Resource[];
}

const settings = [
  'host',
  'port',
  'adminPort',
  'gatewayPort',
  'dataDir',
  'backend',
  'nats',
  'logLevel',
  'retention',
  'drainTimeout',
  'maxStoreBytes',
  'memoryMaxEvents',
  'memoryMaxBytes',
  'memoryBrokerMaxEvents',
  'memoryBrokerMaxBytes',
  'natsReplicas',
  'natsCreds',
  'natsTlsCa',
  'adminToken',
  'advertiseUrl',
  'adminHosts',
  'tlsCert',
  'tlsKey',
  'subscriberAllow',
  ...LIMIT_SETTINGS,
] as const;
type Setting = (typeof settings)[number];

export { ConfigError };

/**
 * @param flags values given on the command line (commander's camelCase names; undefined when not given)
 * @param env the process environment (`CEMESH_ADMIN_PORT` for `adminPort`)
 * @param fileText the text of the `--config` file, when one was named
 */
export function parseServerConfig(
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  fileText?: string,
): ServerConfig {
  const file = fileText === undefined ? {} : parseConfigFile(fileText);
  const pick = (name: Setting): unknown => flags[name] ?? env[envName(name)] ?? file[name];
  const backend = String(pick('backend') ?? 'embedded');
  if (backend !== 'memory' && backend !== 'embedded' && backend !== 'jetstream') {
    throw new ConfigError(`backend: must be memory, embedded or jetstream, not "${backend}"`);
  }
  const nats = list(pick('nats'));
  if (backend === 'jetstream' && nats.length === 0) {
    throw new ConfigError('backend: jetstream needs --nats with the NATS server URL(s)');
  }
  const resources = file['resources'] ?? [];
  if (!Array.isArray(resources)) throw new ConfigError('resources: must be a list of resource objects');
  return Object.freeze({
    host: String(pick('host') ?? '127.0.0.1'),
    port: port(pick('port'), 8080, 'port'),
    adminPort: port(pick('adminPort'), 8081, 'adminPort'),
    gatewayPort: port(pick('gatewayPort'), 8090, 'gatewayPort'),
    dataDir: String(pick('dataDir') ?? './.cemesh'),
    backend,
    nats: Object.freeze(nats),
    maxBodyBytes: 1024 * 1024,
    logLevel: String(pick('logLevel') ?? 'info'),
    retentionMs: duration(pick('retention'), 24 * 3600_000, 'retention'),
    maxStoreBytes: positiveInteger(pick('maxStoreBytes'), 1024 ** 3, 'maxStoreBytes'),
    memoryBacklog: Object.freeze({
      maxEvents: positiveInteger(pick('memoryMaxEvents'), 500_000, 'memoryMaxEvents'),
      maxBytes: positiveInteger(pick('memoryMaxBytes'), 1024 ** 3, 'memoryMaxBytes'),
      brokerMaxEvents: positiveInteger(pick('memoryBrokerMaxEvents'), 100_000, 'memoryBrokerMaxEvents'),
      brokerMaxBytes: positiveInteger(pick('memoryBrokerMaxBytes'), 256 * 1024 ** 2, 'memoryBrokerMaxBytes'),
    }),
    natsReplicas: positiveInteger(pick('natsReplicas'), 1, 'natsReplicas'),
    natsCreds: optionalString(pick('natsCreds')),
    natsTlsCa: optionalString(pick('natsTlsCa')),
    adminToken: optionalString(pick('adminToken')),
    advertiseUrl: advertisedUrl(pick('advertiseUrl')),
    drainMs: duration(pick('drainTimeout'), 10_000, 'drainTimeout'),
    // A fault hook for test/faults only, so it is read from the environment and has no flag.
    faultCommitDelayMs: positiveInteger(
      env['CEMESH_FAULT_COMMIT_DELAY_MS'],
      0,
      'CEMESH_FAULT_COMMIT_DELAY_MS',
    ),
    limits: parseListenerLimits(pick),
    adminHosts: Object.freeze(list(pick('adminHosts'))),
    tls: tlsFiles(optionalString(pick('tlsCert')), optionalString(pick('tlsKey'))),
    subscriberAllow: Object.freeze(cidrs(list(pick('subscriberAllow')))),
    resources: Object.freeze(resources as Resource[]),
  });
}

function parseConfigFile(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `config file: not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError('config file: must be a YAML mapping');
  const known = new Set<string>([...settings, 'resources']);
  const unknown = Object.keys(value).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new ConfigError(`config file: unknown setting(s) ${unknown.join(', ')}`);
  return value as Record<string, unknown>;
}

function duration(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const ms = parseIsoDuration(String(value));
  if (ms === undefined)
    throw new ConfigError(`${name}: must be an ISO-8601 duration such as PT24H, not "${String(value)}"`);
  return ms;
}

function positiveInteger(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ConfigError(`${name}: must be a positive integer, not "${String(value)}"`);
  return n;
}

function tlsFiles(certFile: string | undefined, keyFile: string | undefined): ServerConfig['tls'] {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined)
    throw new ConfigError('tls: --tls-cert and --tls-key go together (a PEM certificate and its key)');
  return Object.freeze({ certFile, keyFile });
}

function cidrs(values: string[]): string[] {
  for (const value of values) {
    const problem = cidrProblem(value);
    if (problem !== undefined) throw new ConfigError(`subscriberAllow: ${problem}`);
  }
  return values;
}

/** A list given as a YAML sequence, a repeated flag, or one comma-separated string. */
function list(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.map(String)
    : value === undefined
      ? []
      : String(value).split(',');
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === '' ? undefined : String(value);
}

function port(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name}: must be a port number 0-65535, not "${String(value)}"`);
  return n;
}

/** An absolute http(s) URL without query or fragment, without its trailing slash (broker paths follow it). */
function advertisedUrl(value: unknown): string | undefined {
  const text = optionalString(value);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`advertiseUrl: "${text}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`advertiseUrl: must be an http or https URL, not "${text}"`);
  if (url.search !== '' || url.hash !== '')
    throw new ConfigError(`advertiseUrl: must have no query or fragment, got "${text}"`);
  return url.href.replace(/\/+$/, '');
}
