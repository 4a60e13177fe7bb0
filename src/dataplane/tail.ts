/**
 * Live views of a broker (`cemesh tail`): the events entering it and, for viewers that ask, each delivery's
 * outcome per trigger (delivered, retrying, dead-lettered, undeliverable) with the event's trace id. A viewer
 * may pass a CESQL predicate: it sees only the events, and the outcomes of the events, that match. A slow
 * viewer never slows the mesh: each has a bounded buffer and loses the oldest items when it is full.
 */
import { toStructuredJson } from '../core/cloudevents/index.js';
import type { CloudEvent } from '../core/cloudevents/model.js';
import { traceIdOf } from './tracing.js';

const MAX_BUFFERED = 1000;

export type TailItem = Record<string, unknown>;

export interface TailOptions {
  /** Only events for which this is true (and their outcomes). */
  readonly filter?: (event: CloudEvent) => boolean;
  /** Also the delivery outcomes. */
  readonly outcomes?: boolean;
}

export interface TailOutcome {
  readonly trigger: string;
  readonly outcome: 'delivered' | 'retrying' | 'dead-lettered' | 'undeliverable';
  readonly attempt: number;
  readonly target: 'subscriber' | 'dead-letter';
  /** `HTTP 200`, `timeout`, a network error; absent when no attempt was made. */
  readonly result?: string;
}

interface Viewer {
  readonly options: TailOptions;
  readonly push: (item: TailItem) => void;
}

export class TailHub {
  private readonly viewers = new Set<Viewer>();

  get active(): boolean {
    return this.viewers.size > 0;
  }

  /** An event stored in the broker (structured-mode JSON, as `cemesh send` would post it). */
  publish(event: CloudEvent): void {
    let item: TailItem | undefined;
    for (const viewer of this.viewers) {
      if (viewer.options.filter !== undefined && !viewer.options.filter(event)) continue;
      viewer.push((item ??= toStructuredJson(event)));
    }
  }

  /** What became of one trigger's delivery of `event` (or of one attempt, when it will be retried). */
  publishOutcome(event: CloudEvent, outcome: TailOutcome): void {
    let item: TailItem | undefined;
    for (const viewer of this.viewers) {
      if (viewer.options.outcomes !== true) continue;
      if (viewer.options.filter !== undefined && !viewer.options.filter(event)) continue;
      viewer.push(
        (item ??= {
          kind: 'DeliveryOutcome',
          id: event.attributes['id'],
          source: event.attributes['source'],
          type: event.attributes['type'],
          traceId: traceIdOf(event) ?? null,
          ...outcome,
        }),
      );
    }
  }

  async *subscribe(signal: AbortSignal, options: TailOptions = {}): AsyncGenerator<TailItem> {
    const buffer: TailItem[] = [];
    let wake: (() => void) | undefined;
    const viewer: Viewer = {
      options,
      push: (item) => {
        if (buffer.length >= MAX_BUFFERED) buffer.shift();
        buffer.push(item);
        wake?.();
      },
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
