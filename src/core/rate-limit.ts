/**
 * A per-key rate limit for repetitive log lines: at most `burst` lines per key in each `windowMs`; what is
 * held back is counted and reported with the next line let through, so nothing disappears without a trace.
 * Pure: the clock is passed in.
 */
export interface RateLimitOptions {
  readonly burst: number;
  readonly windowMs: number;
  /** Keys tracked at once; the oldest window is forgotten past this (a flood of new keys stays bounded). */
  readonly maxKeys?: number;
}

interface Window {
  start: number;
  used: number;
  suppressed: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimitOptions) {
    this.maxKeys = options.maxKeys ?? 1000;
  }

  /**
   * Undefined when the line is to be held back; otherwise how many lines of this key were held back since
   * the last one let through.
   */
  take(key: string, now: number): number | undefined {
    let window = this.windows.get(key);
    if (window === undefined) {
      if (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next();
        if (oldest.done !== true) this.windows.delete(oldest.value);
      }
      window = { start: now, used: 0, suppressed: 0 };
      this.windows.set(key, window);
    } else if (now - window.start >= this.options.windowMs) {
      window.start = now;
      window.used = 0;
    }
    if (window.used >= this.options.burst) {
      window.suppressed++;
      return undefined;
    }
    window.used++;
    const suppressed = window.suppressed;
    window.suppressed = 0;
    return suppressed;
  }
}
