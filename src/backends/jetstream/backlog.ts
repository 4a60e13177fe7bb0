/**
 * A JetStream queue's backlog for metrics. The store contract reads it synchronously at each scrape, while
 * JetStream answers only by request; so each queue keeps the last sample and a read that finds it older
 * than SAMPLE_MS starts the next one. A figure is thus at most one scrape (or SAMPLE_MS) old, and a mesh
 * nobody scrapes sends no requests. Samples of one broker run one at a time: a scrape of 10,000 triggers
 * asks the server in a queue, not in a burst.
 */
import type { QueueBacklog, QueueId } from '../../store/contracts.js';

export const SAMPLE_MS = 5_000;

interface Entry {
  value: QueueBacklog | undefined;
  sampledAt: number;
  queued: boolean;
}

export class BacklogSampler {
  private readonly entries = new Map<QueueId, Entry>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    /** Asks the server; rejects when it cannot tell (the last value stays). */
    private readonly sample: (id: QueueId) => Promise<QueueBacklog>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The last sample of queue `id` (undefined before the first); a stale one is refreshed in the background. */
  read(id: QueueId): QueueBacklog | undefined {
    let entry = this.entries.get(id);
    if (entry === undefined)
      this.entries.set(id, (entry = { value: undefined, sampledAt: 0, queued: false }));
    if (!entry.queued && this.now() - entry.sampledAt >= SAMPLE_MS) this.refresh(id, entry);
    return entry.value;
  }

  /** Forgets a dropped queue. */
  forget(id: QueueId): void {
    this.entries.delete(id);
  }

  private refresh(id: QueueId, entry: Entry): void {
    entry.queued = true;
    this.tail = this.tail.then(async () => {
      try {
        entry.value = await this.sample(id);
      } catch {
        // Unreachable server or a queue not created yet: the metric keeps its last value until it answers.
      } finally {
        entry.sampledAt = this.now();
        entry.queued = false;
      }
    });
  }

  /** Resolves once every sample started so far has settled (tests). */
  settled(): Promise<void> {
    return this.tail;
  }
}
