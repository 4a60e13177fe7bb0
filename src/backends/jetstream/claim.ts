/**
 * Sole use of a queue by one process (`DeliveryQueue.claim`), for ordered delivery on a JetStream that several
 * cemesh replicas share (docs/decisions/ordered-delivery.md). A claim is a key in the KV bucket
 * `<prefix>-claims`, whose entries the server removes `claimTtlMs` after their last write: the holder
 * rewrites its key (compare-and-set on the revision) every third of that, so a holder that dies loses the
 * claim by itself, and a holder cut off from NATS learns it lost the claim before another can take it.
 *
 * Taking over: deliveries the previous holder leased come back only after the consumer's ack_wait. When the
 * consumer has any unsettled, the new holder waits out ack_wait before it leases, so that they are due
 * again, and reports how many there were, so the ordering layer takes them all in before handing any out.
 * Even a holder that handed everything back on release may have had messages on their way to it (a pull
 * request cannot be cancelled), so a release does not spare the wait.
 */
import { randomUUID } from 'node:crypto';
import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { QueueClaim } from '../../store/contracts.js';
import type { SharedConnection } from './connection.js';
import { API_WRONG_LAST_SEQUENCE, hasApiCode } from './errors.js';
import { createdByAnother, waitForLeader } from './leader.js';

/** How long after a failed attempt to take a claim another one is made. */
const RETRY_MS = 1_000;
/** Beyond ack_wait: the server's redelivery timer is not exact. */
const ACK_WAIT_MARGIN_MS = 1_000;

export function claimBucket(prefix: string): string {
  return `${prefix}-claims`;
}

export class ClaimBucket {
  private kv: Promise<KV> | undefined;

  constructor(private readonly conn: SharedConnection) {}

  /**
   * Takes the claim `key`, waiting while another process holds it. `outstanding` reads how many
   * deliveries of the queue are leased and not settled (the consumer's ack-pending count).
   */
  async claim(
    key: string,
    outstanding: () => Promise<number>,
    signal: AbortSignal,
  ): Promise<QueueClaim | undefined> {
    const kv = await this.bucket();
    const holder = randomUUID();
    while (!signal.aborted) {
      let taken: number | undefined;
      try {
        taken = await this.take(kv, key, holder);
      } catch {
        // Another process wrote first, or NATS did not answer: look again shortly.
      }
      if (taken === undefined) {
        await sleep(RETRY_MS, signal);
        continue;
      }
      const claim = new HeldClaim(kv, key, holder, taken, this.conn.options.claimTtlMs);
      const handedBack = await outstanding().catch(() => 0);
      if (handedBack > 0) await sleep(this.conn.options.ackWaitMs + ACK_WAIT_MARGIN_MS, signal);
      if (signal.aborted) {
        await claim.release();
        return undefined;
      }
      claim.handedBack = handedBack;
      return claim;
    }
    return undefined;
  }

  /** Writes the key when nobody holds it (absent, expired or released); its revision, else undefined. */
  private async take(kv: KV, key: string, holder: string): Promise<number | undefined> {
    const current = await kv.get(key);
    if (current === null) return kv.create(key, holder);
    if (current.operation !== 'PUT') return kv.update(key, holder, current.revision);
    return undefined;
  }

  private bucket(): Promise<KV> {
    this.kv ??= this.open().catch((error: unknown) => {
      this.kv = undefined;
      throw error;
    });
    return this.kv;
  }

  private async open(): Promise<KV> {
    const { options } = this.conn;
    const name = claimBucket(options.prefix);
    const create = (): Promise<KV> =>
      new Kvm(this.conn.js).create(name, {
        history: 1,
        ttl: options.claimTtlMs,
        replicas: options.replicas,
        storage: StorageType.File,
        timeout: options.timeoutMs,
        // A compare-and-set starts from the leader's latest revision.
        allow_direct: false,
      });
    const kv = await create().catch(async (error: unknown) => {
      if (await createdByAnother(error, () => this.conn.jsm.streams.info(`KV_${name}`))) return create();
      throw error;
    });
    await waitForLeader(`stream KV_${name}`, () => this.conn.probe.streams.info(`KV_${name}`));
    return kv;
  }
}

class HeldClaim implements QueueClaim {
  handedBack = 0;
  private readonly lostController = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private renewedAt = Date.now();
  private released = false;

  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly holder: string,
    private revision: number,
    private readonly ttlMs: number,
  ) {
    this.timer = setInterval(() => void this.renew(), ttlMs / 3);
  }

  get lost(): AbortSignal {
    return this.lostController.signal;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    if (this.lost.aborted) return;
    // The next holder need not wait for the key to expire.
    await this.kv.delete(this.key, { previousSeq: this.revision }).catch(() => undefined);
  }

  private async renew(): Promise<void> {
    if (this.released || this.lost.aborted) return;
    try {
      this.revision = await this.kv.update(this.key, this.holder, this.revision);
      this.renewedAt = Date.now();
    } catch (error) {
      // Another holder wrote (the key expired while NATS was out of reach): lost. Unanswered: give the
      // claim up before the server can have removed it, never after.
      const taken = hasApiCode(error, API_WRONG_LAST_SEQUENCE);
      if (taken || Date.now() - this.renewedAt >= (this.ttlMs * 2) / 3) this.lose();
    }
  }

  private lose(): void {
    clearInterval(this.timer);
    this.lostController.abort();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
