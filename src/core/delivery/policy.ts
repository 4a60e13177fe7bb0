/**
 * A trigger's (or broker's) delivery options, defaulted and frozen once (STYLE 1 and 8). ARCHITECTURE 3:
 * a Trigger's `delivery` replaces the Broker's whole, so callers pass one spec, never a merge.
 */
import type { DestinationSpec } from './destination.js';
import { parseIsoDuration } from './duration.js';
import type { DeliverySpec } from './spec.js';

export interface DeliveryPolicy {
  /** Retries after the first attempt: at most `retry + 1` attempts in all. */
  readonly retry: number;
  readonly backoffPolicy: 'linear' | 'exponential';
  readonly backoffDelayMs: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
  /** Upper bound on an honored Retry-After; undefined (not set) or 0 (PT0S) = Retry-After is not honored. */
  readonly retryAfterMaxMs: number | undefined;
  readonly deadLetterSink: DestinationSpec | undefined;
  readonly format: 'json' | 'binary';
}

/** ARCHITECTURE 3 defaults: retry 10, exponential, PT0.2S; plus a 30 s attempt timeout and binary mode. */
export const DEFAULT_DELIVERY = Object.freeze({
  retry: 10,
  backoffPolicy: 'exponential',
  backoffDelay: 'PT0.2S',
  timeout: 'PT30S',
  format: 'binary',
} as const);

/** The policy of every trigger without a delivery spec, compiled once: a broker may hold 10,000 of them. */
let defaultPolicy: DeliveryPolicy | undefined;

/** Compiles a spec that `validateDeliverySpec` accepted; throws on a duration validation would have refused. */
export function compileDeliveryPolicy(spec: DeliverySpec | undefined): DeliveryPolicy {
  if (spec === undefined) return (defaultPolicy ??= compile({}));
  return compile(spec);
}

function compile(s: DeliverySpec): DeliveryPolicy {
  return Object.freeze({
    retry: s.retry ?? DEFAULT_DELIVERY.retry,
    backoffPolicy: s.backoffPolicy ?? DEFAULT_DELIVERY.backoffPolicy,
    backoffDelayMs: duration(s.backoffDelay ?? DEFAULT_DELIVERY.backoffDelay, 'backoffDelay'),
    timeoutMs: duration(s.timeout ?? DEFAULT_DELIVERY.timeout, 'timeout'),
    retryAfterMaxMs: s.retryAfterMax == null ? undefined : duration(s.retryAfterMax, 'retryAfterMax'),
    deadLetterSink: s.deadLetterSink ?? undefined,
    format: s.format ?? DEFAULT_DELIVERY.format,
  });
}

function duration(text: string, field: string): number {
  const ms = parseIsoDuration(text);
  if (ms === undefined) throw new TypeError(`delivery.${field} is not a duration; validate the spec first`);
  return ms;
}
