import type { CloudEvent } from '../cloudevents/model.js';

/** A compiled filter: true when the event passes. */
export type EventPredicate = (event: CloudEvent) => boolean;

/** The filter part of a Trigger spec, as received (validate before compiling). */
export interface TriggerFilterSpec {
  /** Legacy Knative filter: exact match on every listed attribute. */
  filter?: { attributes?: Record<string, string> };
  /** SubscriptionsAPI filters (Knative `new-trigger-filters`); when non-empty they replace `filter`. */
  filters?: unknown[];
}

export interface CompileOptions {
  /** Hears CESQL evaluation errors; the event then does not match (ARCHITECTURE 3). */
  onCesqlError?: (e: Error) => void;
}

/** The SubscriptionsAPI dialects cemesh understands, in the order error messages list them. */
export const DIALECTS = ['exact', 'prefix', 'suffix', 'all', 'any', 'not', 'cesql'] as const;
export type Dialect = (typeof DIALECTS)[number];

export function isDialect(key: string): key is Dialect {
  return (DIALECTS as readonly string[]).includes(key);
}

/** A plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
