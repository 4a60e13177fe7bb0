/**
 * The recent output of one function's replicas: a bounded ring of lines (stdout and stderr, with the id of
 * the event being handled when the line came from `console`), and live followers for `logs -f`.
 */

export interface LogLine {
  readonly time: string;
  readonly replica: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly eventId?: string;
}

const DEFAULT_CAPACITY = 1000;

export class LogBook {
  private readonly lines: LogLine[] = [];
  private readonly followers = new Set<(line: LogLine) => void>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  add(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    for (const follower of this.followers) follower(line);
  }

  recent(limit = this.capacity): LogLine[] {
    return this.lines.slice(-limit);
  }

  /** The lines kept so far, then every new one until the signal aborts. */
  async *follow(signal: AbortSignal, limit?: number): AsyncGenerator<LogLine> {
    const queue: LogLine[] = this.recent(limit);
    let wake: (() => void) | undefined;
    const follower = (line: LogLine): void => {
      queue.push(line);
      wake?.();
    };
    const onAbort = (): void => wake?.();
    this.followers.add(follower);
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const line = queue.shift();
        if (line !== undefined) {
          yield line;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.followers.delete(follower);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
