/**
 * The `knativearrivaltime` value of now: one ISO 8601 string per millisecond, shared by every event that
 * arrives within it (the reconciler stamps conditions with it too, for the same reason). Each queued event
 * keeps its arrival string; under load several events arrive in the same millisecond, and one shared string
 * instead of one each saves about 40 bytes per queued event (bench/backlog-heap.ts) and a Date allocation and
 * format per request.
 */
export class ArrivalClock {
  private lastMs = -1;
  private lastText = '';

  constructor(private readonly now: () => number = Date.now) {}

  /** The current time as `new Date().toISOString()` writes it. */
  text(): string {
    const ms = this.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastText = new Date(ms).toISOString();
    }
    return this.lastText;
  }
}
