/**
 * Live views of the events entering a broker (`cemesh tail`). A slow viewer never slows ingress: each
 * viewer has a bounded buffer and loses the oldest events when it is full.
 */
const MAX_BUFFERED = 1000;

export type TailItem = Record<string, unknown>;

export class TailHub {
  private readonly viewers = new Set<(item: TailItem) => void>();

  get active(): boolean {
    return this.viewers.size > 0;
  }

  publish(item: TailItem): void {
    for (const viewer of this.viewers) viewer(item);
  }

  async *subscribe(signal: AbortSignal): AsyncGenerator<TailItem> {
    const buffer: TailItem[] = [];
    let wake: (() => void) | undefined;
    const viewer = (item: TailItem): void => {
      if (buffer.length >= MAX_BUFFERED) buffer.shift();
      buffer.push(item);
      wake?.();
    };
    const onAbort = (): void => wake?.();
    this.viewers.add(viewer);
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const next = buffer.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.viewers.delete(viewer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
