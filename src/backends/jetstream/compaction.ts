/**
 * JetStream retention that never removes what a trigger still needs. The streams have no max_age (limits
 * retention would delete undelivered messages by age); instead this purges, per stream, the messages below
 * the lowest ack floor of its durable consumers, once they have been settled for `retentionMs` (the replay
 * window), the way the embedded compactor deletes only events without a pending delivery.
 *
 * A consumer's `ack_floor.stream_seq` is the highest stream sequence below which all its messages are acked
 * or terminated; a consumer with nothing pending and nothing outstanding needs nothing, so its floor is the
 * stream's last sequence read before the consumers were. Floors are remembered with the time they were seen,
 * and a stream is purged up to the newest floor seen at least `retentionMs` ago, never beyond the current
 * one (a consumer created since, e.g. a trigger whose first lease is being opened, lowers it). A local
 * queue whose consumer is still being created holds compaction back for that round.
 */
import type { SharedConnection } from './connection.js';

export interface CompactionTarget {
  readonly stream: string;
  /** True while a local queue of this broker has asked for its consumer and it is not confirmed yet. */
  readonly openingConsumer: () => boolean;
}

interface Seen {
  readonly at: number;
  readonly floor: number;
}

export class JetStreamCompactor {
  private readonly seen = new Map<string, Seen[]>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly conn: SharedConnection,
    private readonly options: { retentionMs: number; everyMs: number },
    private readonly targets: () => Iterable<CompactionTarget>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    // retentionMs 0 means "keep everything": nothing to compact.
    if (this.options.retentionMs === 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, this.options.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass over every open broker; resolves with how many messages were purged (for tests). */
  async runOnce(now = Date.now()): Promise<number> {
    let purged = 0;
    for (const target of this.targets()) {
      if (!this.conn.isConnected) break;
      if (target.openingConsumer()) continue;
      purged += await this.compact(target.stream, now);
    }
    return purged;
  }

  private async compact(stream: string, now: number): Promise<number> {
    const { jsm } = this.conn;
    let info;
    try {
      info = await jsm.streams.info(stream);
    } catch {
      this.seen.delete(stream);
      return 0; // not created yet, or dropped: nothing to compact
    }
    const last = info.state.last_seq;
    let floor = last;
    for await (const consumer of jsm.consumers.list(stream)) {
      // Ephemeral consumers are replay scans, not deliveries a trigger waits for.
      if (consumer.config.durable_name === undefined) continue;
      const idle = consumer.num_pending === 0 && consumer.num_ack_pending === 0;
      floor = Math.min(floor, idle ? last : consumer.ack_floor.stream_seq);
    }
    const history = (this.seen.get(stream) ?? []).concat({ at: now, floor });
    const old = history.filter((s) => s.at <= now - this.options.retentionMs);
    const oldest = old.at(-1);
    // Keep the newest old enough one (it is the next purge point) and everything younger.
    this.seen.set(stream, history.slice(Math.max(0, old.length - 1)));
    if (oldest === undefined) return 0;
    const upTo = Math.min(oldest.floor, floor);
    if (upTo < info.state.first_seq) return 0;
    const result = await jsm.streams.purge(stream, { seq: upTo + 1 });
    return result.purged;
  }
}
