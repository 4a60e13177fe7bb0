/**
 * Options of the jetstream backend: validated, defaulted and frozen once (STYLE 8), then passed around.
 * docs/jetstream.md documents each one.
 */
import { readFileSync } from 'node:fs';
import { credsAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';
import { MeshError } from '../../core/errors.js';
import { PREFIX_PATTERN } from './names.js';

export interface JetStreamTlsOptions {
  /** PEM file of the CA that signed the server certificate (when it is not a public one). */
  readonly caFile?: string;
  /** PEM client certificate and key, for servers that verify clients (mutual TLS). */
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface JetStreamOptions {
  /** NATS URLs, e.g. `nats://n1:4222`; several for a cluster (the client fails over between them). */
  readonly servers: readonly string[];
  /** User and password authentication. */
  readonly user?: string;
  readonly pass?: string;
  /** Token authentication. */
  readonly token?: string;
  /** A `.creds` file (JWT and NKey seed) for decentralized authentication. */
  readonly credsFile?: string;
  /** TLS; `tls://` URLs turn it on as well. */
  readonly tls?: JetStreamTlsOptions;
  /** Replicas of every stream and of the resources bucket: 1, or 3/5 on a cluster (default 1). */
  readonly replicas?: number;
  /** Size limit of each broker's stream; appends beyond it fail with MESH_BACKEND_FULL (default: none). */
  readonly maxBytesPerStream?: number;
  /**
   * How long settled events stay for replay (default 24 hours; 0: kept until the stream is dropped). An
   * event a consumer has not settled is never removed, however old.
   */
  readonly maxAgeMs?: number;
  /** Pause between compaction runs (default 60 s). */
  readonly compactEveryMs?: number;
  /** Redelivery time of a lease whose holder died (consumer ack_wait; default 30 s). */
  readonly ackWaitMs?: number;
  /** How long an ordered queue's claim outlives a holder that stopped renewing it (default 15 s). */
  readonly claimTtlMs?: number;
  /** Prefix of every stream, subject and bucket, so several meshes can share one NATS account (default `cemesh`). */
  readonly prefix?: string;
  /** How long a publish or JetStream API call may take before it fails as unavailable (default 5 s). */
  readonly timeoutMs?: number;
  /** Client connection name shown by the server's monitoring (default `cemesh`). */
  readonly name?: string;
  /** Size bound of each namespace's delivery-history stream (default 64 MiB; the oldest history goes first). */
  readonly historyMaxBytes?: number;
  /** Failures in the background (compaction, history writes), which fail no request. */
  readonly onError?: (error: unknown) => void;
}

export interface ResolvedJetStreamOptions {
  readonly servers: readonly string[];
  readonly replicas: number;
  /** -1: no limit. */
  readonly maxBytesPerStream: number;
  /** 0: settled events are never purged. */
  readonly maxAgeMs: number;
  readonly compactEveryMs: number;
  readonly ackWaitMs: number;
  readonly claimTtlMs: number;
  readonly prefix: string;
  readonly timeoutMs: number;
  readonly connection: NodeConnectionOptions;
}

export const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_CLAIM_TTL_MS = 15_000;
export const DEFAULT_PREFIX = 'cemesh';

function invalid(message: string): MeshError {
  return new MeshError('MESH_REQUEST_INVALID', `jetstream options: ${message}`);
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw invalid(`${name} must be a positive number`);
  return value;
}

export function resolveJetStreamOptions(options: JetStreamOptions): ResolvedJetStreamOptions {
  if (!Array.isArray(options.servers) || options.servers.length === 0) {
    throw invalid('servers must name at least one NATS URL');
  }
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw invalid('replicas must be an integer from 1 to 5');
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) {
    throw invalid(
      `prefix "${prefix}" must be 1-32 of a-z, 0-9, "-" and "_", starting with a letter or digit`,
    );
  }
  const maxBytes = options.maxBytesPerStream;
  const resolved: ResolvedJetStreamOptions = {
    servers: [...options.servers],
    replicas,
    maxBytesPerStream: maxBytes === undefined ? -1 : Math.floor(positive(maxBytes, 'maxBytesPerStream', 1)),
    maxAgeMs: options.maxAgeMs === 0 ? 0 : positive(options.maxAgeMs, 'maxAgeMs', DEFAULT_MAX_AGE_MS),
    ackWaitMs: positive(options.ackWaitMs, 'ackWaitMs', DEFAULT_ACK_WAIT_MS),
    claimTtlMs: positive(options.claimTtlMs, 'claimTtlMs', DEFAULT_CLAIM_TTL_MS),
    compactEveryMs: positive(options.compactEveryMs, 'compactEveryMs', 60_000),
    prefix,
    timeoutMs: positive(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
    connection: connectionOptions(options),
  };
  return Object.freeze(resolved);
}

function connectionOptions(options: JetStreamOptions): NodeConnectionOptions {
  const connection: NodeConnectionOptions = {
    servers: [...options.servers],
    name: options.name ?? 'cemesh',
    // A long-lived server rides out NATS restarts and failovers; isReady() reports the gap meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: positive(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
  };
  if (options.user !== undefined) connection.user = options.user;
  if (options.pass !== undefined) connection.pass = options.pass;
  if (options.token !== undefined) connection.token = options.token;
  if (options.credsFile !== undefined) {
    let creds: Uint8Array;
    try {
      creds = readFileSync(options.credsFile);
    } catch (error) {
      throw invalid(`credsFile ${options.credsFile} cannot be read: ${(error as Error).message}`);
    }
    connection.authenticator = credsAuthenticator(creds);
  }
  if (options.tls !== undefined) {
    const tls: NonNullable<NodeConnectionOptions['tls']> = {};
    if (options.tls.caFile !== undefined) tls.caFile = options.tls.caFile;
    if (options.tls.certFile !== undefined) tls.certFile = options.tls.certFile;
    if (options.tls.keyFile !== undefined) tls.keyFile = options.tls.keyFile;
    connection.tls = tls;
  }
  return connection;
}
