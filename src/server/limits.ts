/**
 * Listener limits (docs/security.md): every port cemesh listens on bounds how long a client may take to send
 * its headers and its request, how long an idle keep-alive connection stays open, how large the headers may
 * be, and how many connections it holds in total and per client address. Without them a few thousand idle or
 * trickling sockets exhaust the process's file descriptors and take every listener down.
 */
import { parseIsoDuration } from '../core/delivery/index.js';
import { ConfigError } from './config-error.js';

export interface ListenerLimits {
  /** Time from a connection's (or request's) start until its headers are complete; then 408 and close. */
  readonly headersTimeoutMs: number;
  /** Time until the whole request (headers and body) is received; then 408 and close. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections per listener; past it new connections are closed at once. */
  readonly maxConnections: number;
  /** Open connections per listener from one client address. */
  readonly maxConnectionsPerClient: number;
  /** Largest request head (request line and headers); past it 431 and close. */
  readonly maxHeaderBytes: number;
}

/** The defaults, each chosen in docs/security.md. */
export const DEFAULT_LIMITS: ListenerLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Longer than the 60 s idle timeout of common load balancers, so cemesh never closes a connection a
  // balancer in front of it is about to reuse.
  keepAliveTimeoutMs: 65_000,
  maxConnections: 4096,
  maxConnectionsPerClient: 512,
  maxHeaderBytes: 16 * 1024,
});

export const LIMIT_SETTINGS = [
  'headersTimeout',
  'requestTimeout',
  'keepAliveTimeout',
  'maxConnections',
  'maxConnectionsPerClient',
  'maxHeaderBytes',
] as const;
export type LimitSetting = (typeof LIMIT_SETTINGS)[number];

/** @param pick the raw value of a setting (flag > environment > file), undefined when not given */
export function parseListenerLimits(pick: (name: LimitSetting) => unknown): ListenerLimits {
  const headersTimeoutMs = duration(
    pick('headersTimeout'),
    DEFAULT_LIMITS.headersTimeoutMs,
    'headersTimeout',
  );
  const requestTimeoutMs = duration(
    pick('requestTimeout'),
    DEFAULT_LIMITS.requestTimeoutMs,
    'requestTimeout',
  );
  // Node requires it (http.createServer): a request cannot be complete before its headers are.
  if (requestTimeoutMs < headersTimeoutMs)
    throw new ConfigError('requestTimeout: must not be shorter than headersTimeout');
  const maxConnections = count(pick('maxConnections'), DEFAULT_LIMITS.maxConnections, 'maxConnections');
  return Object.freeze({
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: duration(
      pick('keepAliveTimeout'),
      DEFAULT_LIMITS.keepAliveTimeoutMs,
      'keepAliveTimeout',
    ),
    maxConnections,
    maxConnectionsPerClient: Math.min(
      maxConnections,
      count(
        pick('maxConnectionsPerClient'),
        DEFAULT_LIMITS.maxConnectionsPerClient,
        'maxConnectionsPerClient',
      ),
    ),
    maxHeaderBytes: count(pick('maxHeaderBytes'), DEFAULT_LIMITS.maxHeaderBytes, 'maxHeaderBytes'),
  });
}

function duration(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const ms = parseIsoDuration(String(value));
  if (ms === undefined || ms <= 0)
    throw new ConfigError(
      `${name}: must be a positive ISO-8601 duration such as PT10S, not "${String(value)}"`,
    );
  return ms;
}

function count(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ConfigError(`${name}: must be a positive integer, not "${String(value)}"`);
  return n;
}
