/**
 * The one NATS connection a backend and its resource store share: readiness from the client's status
 * events, and closing when the last user lets go (the backend and the resource store close separately).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { MeshError } from '../../core/errors.js';
import type { ResolvedJetStreamOptions } from './options.js';
import { Outbox } from './outbox.js';

const PROBE_TIMEOUT_MS = 1_000;

export class SharedConnection {
  private connected = true;
  private users = 0;
  private readonly reconnectListeners = new Set<() => void>();
  private closing: Promise<void> | undefined;
  /** Appends and one-way messages of the delivery path, sent together once per event-loop turn. */
  readonly outbox: Outbox;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    /** The same API with a short timeout, for status reads repeated until a deadline (leader waits). */
    readonly probe: JetStreamManager,
    readonly options: ResolvedJetStreamOptions,
  ) {
    this.outbox = new Outbox(nc, { timeoutMs: options.timeoutMs });
    void this.followStatus();
  }

  static async open(options: ResolvedJetStreamOptions): Promise<SharedConnection> {
    let nc: NatsConnection;
    try {
      nc = await connect(options.connection);
    } catch (error) {
      throw new MeshError(
        'MESH_BACKEND_UNAVAILABLE',
        `cannot connect to NATS at ${options.servers.join(', ')}: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
    try {
      const jsm = await jetstreamManager(nc, { timeout: options.timeoutMs });
      const js = jetstream(nc, { timeout: options.timeoutMs });
      const probe = await jetstreamManager(nc, {
        timeout: Math.min(PROBE_TIMEOUT_MS, options.timeoutMs),
        checkAPI: false,
      });
      return new SharedConnection(nc, js, jsm, probe, options);
    } catch (error) {
      await nc.close();
      throw new MeshError(
        'MESH_BACKEND_UNAVAILABLE',
        `NATS at ${options.servers.join(', ')} has no JetStream (start nats-server with -js): ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
  }

  /** Connected now (between a disconnect and the following reconnect, false). */
  get isConnected(): boolean {
    return this.connected && !this.nc.isClosed();
  }

  /** Largest message the server takes. */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  /** Calls `listener` after every reconnect (pull requests do not survive a reconnect); returns the remover. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Registers a user; `release` closes the connection once every user released it. */
  acquire(): () => Promise<void> {
    this.users++;
    let released = false;
    return () => {
      if (released) return this.closing ?? Promise.resolve();
      released = true;
      this.users--;
      if (this.users > 0) return Promise.resolve();
      this.outbox.close();
      this.closing ??= this.nc.close().then(
        () => undefined,
        () => undefined,
      );
      return this.closing;
    };
  }

  private async followStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') this.connected = false;
      else if (status.type === 'reconnect') {
        this.connected = true;
        for (const listener of [...this.reconnectListeners]) listener();
      }
    }
  }
}
