/**
 * `GET /{application}/v1/events/subscribed` (ARCHITECTURE 2.3): the event types that triggers in the
 * application's bound namespaces subscribe to, in the shape of Kyma's event service,
 * `{"events": [{"name": "order.created", "version": "v1"}]}`.
 *
 * Kyma listed its subscriptions whose source was the application. The Knative equivalent is a trigger on the
 * namespace's `default` broker (where application events land) whose filter names an exact `type`, with a
 * `source` that is absent, "" (any) or the application, the Kyma way: `filter.attributes: {type, source,
 * eventtypeversion}`, or the same keys in an `exact` entry of `filters`. Filters that cannot name one type
 * (prefix, cesql, ...) are not listed.
 */
import { APPLICATION_BROKER } from '../resources/applicationmapping/types.js';
import { DEFAULT_BROKER } from '../resources/trigger/types.js';
import { splitVersion } from './event-type.js';
import { EVENT_TYPE_VERSION_EXTENSION } from './legacy.js';

export interface SubscribedEvent {
  readonly name: string;
  /** The trigger's `eventtypeversion`; "" when it accepts any version. */
  readonly version: string;
}

/** The part of a Trigger spec this reads (unvalidated input is tolerated: it is skipped). */
export interface TriggerSubscription {
  readonly broker?: unknown;
  readonly filter?: unknown;
  readonly filters?: unknown;
}

/**
 * A Kyma Subscription (v1alpha2 spec) as the trigger filters this listing reads: each type of a `standard`
 * Subscription is an event name and version (split at the last dot, as Kyma's publisher proxy lists them)
 * from its source. `exact` types name no application, so they are not listed.
 */
export function subscriptionAsTriggers(spec: Readonly<Record<string, unknown>>): TriggerSubscription[] {
  if (spec['typeMatching'] === 'exact' || typeof spec['source'] !== 'string') return [];
  const types = Array.isArray(spec['types']) ? spec['types'] : [];
  return types.flatMap((type: unknown) => {
    const split = typeof type === 'string' ? splitVersion(type) : undefined;
    if (split === undefined) return [];
    const attributes = {
      type: split.name,
      source: spec['source'],
      [EVENT_TYPE_VERSION_EXTENSION]: split.version,
    };
    return [{ broker: APPLICATION_BROKER, filter: { attributes } }];
  });
}

/** Every distinct (name, version), sorted, over the triggers of the bound namespaces. */
export function subscribedEvents(
  application: string,
  triggers: readonly TriggerSubscription[],
): SubscribedEvent[] {
  const found = new Map<string, SubscribedEvent>();
  for (const trigger of triggers) {
    if ((trigger.broker ?? DEFAULT_BROKER) !== APPLICATION_BROKER) continue;
    const attributes = exactAttributes(trigger);
    if (attributes === undefined) continue;
    const { type, source } = attributes;
    if (type === undefined || type === '') continue;
    if (source !== undefined && source !== '' && source !== application) continue;
    const version = attributes[EVENT_TYPE_VERSION_EXTENSION] ?? '';
    found.set(`${type}\u0000${version}`, { name: type, version });
  }
  return [...found.values()].sort((a, b) =>
    a.name === b.name ? compare(a.version, b.version) : compare(a.name, b.name),
  );
}

/**
 * The exact attribute values a trigger requires: `filters` when non-empty (it overrides `filter`,
 * ARCHITECTURE 3), merging its top-level `exact` entries (the list means all); otherwise
 * `filter.attributes`. Undefined when the trigger requires contradicting values.
 */
function exactAttributes(trigger: TriggerSubscription): Record<string, string> | undefined {
  const merged: Record<string, string> = {};
  const add = (values: unknown): boolean => {
    if (!isRecord(values)) return true;
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== 'string') continue;
      if (merged[name] !== undefined && merged[name] !== value) return false;
      merged[name] = value;
    }
    return true;
  };
  const filters = trigger.filters;
  if (Array.isArray(filters) && filters.length > 0) {
    for (const entry of filters) {
      if (isRecord(entry) && !add(entry['exact'])) return undefined;
    }
    return merged;
  }
  const filter = trigger.filter;
  if (isRecord(filter) && !add(filter['attributes'])) return undefined;
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
