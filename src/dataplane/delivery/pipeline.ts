/**
 * Delivery as composed steps, the way undici composes interceptors: the innermost `send` makes one HTTP
 * attempt, and each step wraps the `Send` inside it to add one concern (timeout, tracing, reply, retry, dead
 * letter, settling the lease, history, metrics, logs). A step may change the attempt on the way in and reads
 * or settles the delivery on the way out; adding a concern is adding a step, never editing `send`.
 */
import type { Span } from '@opentelemetry/api';
import type { Classification } from '../../core/delivery/index.js';
import type { Lease } from '../../store/contracts.js';
import type { TriggerRuntime } from '../runtime-types.js';
import type { SendOutcome, Target } from './sender.js';

/** One attempt to deliver a leased event to one destination, as it travels inward through the steps. */
export interface Attempt {
  readonly trigger: TriggerRuntime;
  readonly lease: Lease;
  /** Which queue the lease came from: the trigger's subscriber queue or its dead-letter queue. */
  readonly target: 'subscriber' | 'dead-letter';
  readonly destination: Target;
  /** Headers sent beside the event's own (steps add theirs: tracing its `traceparent`). */
  headers: Readonly<Record<string, string>>;
  /** The whole attempt's bound, connection wait included; set by the timeout step. */
  timeoutMs: number;
  /** The attempt's span, when tracing records one (the reply's span is its child). */
  span: Span | undefined;
}

/**
 * How a leased delivery ended. `retrying`: naked, due again later; `moved-to-dead-letter`: appended to the
 * dead-letter queue (its own delivery follows); the others are final.
 */
export type Settlement =
  'delivered' | 'retrying' | 'moved-to-dead-letter' | 'dead-lettered' | 'undeliverable';

/** What came back from the attempt, and what the steps made of it, as it travels outward. */
export interface Delivery {
  readonly outcome: SendOutcome;
  readonly verdict: Classification;
  /** Undefined until a step settles the lease. */
  settlement: Settlement | undefined;
  /** The wait before the next attempt, when one was scheduled. */
  retryInMs: number | undefined;
}

export type Send = (attempt: Attempt) => Promise<Delivery>;

/** Wraps a Send in one concern. */
export type Step = (next: Send) => Send;

/**
 * Reads a finished delivery without changing it (metrics, history, logs, tail): synchronous, so that all
 * of them run after one await in `observeStep` instead of one async layer each. `startedAt` is when the
 * attempt entered the observing step (epoch ms).
 */
export type Observer = (attempt: Attempt, delivery: Delivery, startedAt: number) => void;

/** `steps[0]` is the outermost: it sees the attempt first and the delivery last. */
export function compose(send: Send, steps: readonly Step[]): Send {
  return steps.reduceRight<Send>((next, step) => step(next), send);
}

/** How logs, spans and history describe an attempt's result: `HTTP 503`, `timeout`, or the network error. */
export function resultText(outcome: SendOutcome): string {
  const { result } = outcome;
  if (result.kind === 'response') return `HTTP ${result.status}`;
  return result.kind === 'timeout' ? 'timeout' : result.message;
}
