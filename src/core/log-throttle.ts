import type { Logger } from './logger.js';

/**
 * Logs expected failures (a backend unavailable or full: 503/507) once per cause per interval, with how many
 * occurred, and without a stack trace: under load the same cause repeats thousands of times a second, and a
 * line each would flood the log and cost more than the requests it refuses.
 */
export class ThrottledLog {
  private readonly causes = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `count` in the line is this occurrence plus those not logged since the cause's last line. */
  warn(code: string, message: string, what: string): void {
    const key = `${code} ${message}`;
    const at = this.now();
    const cause = this.causes.get(key);
    if (cause !== undefined && at - cause.since < this.intervalMs) {
      cause.count++;
      return;
    }
    // Bounded: causes are few, but a message may name a broker, and brokers can be many.
    if (cause === undefined && this.causes.size >= 1000) this.causes.clear();
    this.causes.set(key, { since: at, count: 0 });
    this.logger.warn(
      { code, count: (cause?.count ?? 0) + 1, intervalMs: this.intervalMs },
      `${what}: ${message}`,
    );
  }
}
