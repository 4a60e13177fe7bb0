/**
 * What a Subscription's types compile to (docs/kyma.md): one route per type, each a Trigger filter on the
 * namespace's `default` broker and the type its sink is to see. With `standard` matching a route takes the
 * source's events of the type in every form the gateway stores them: a CloudEvent of the type as written
 * (`/publish`, `/{app}/events`), the legacy API's `event-type` with its `eventtypeversion`, or the clean
 * type itself; the source comes first, so the route sits in the routing index's bucket of that source.
 * With `exact` a route takes the type as written.
 */
import { cleanEventType, splitVersion } from '../../kyma/event-type.js';
import type { TriggerFilterSpec } from '../../filters/index.js';
import { uniqueTypes, type SubscriptionSpec } from './types.js';

/** One clean type: the subscribed types that clean to it, and the filter of its route. */
export interface Route {
  readonly cleanType: string;
  readonly originalTypes: readonly string[];
  readonly filter: TriggerFilterSpec;
}

/**
 * The routes of a spec, or why its types cannot be cleaned. Types that clean to the same type share one
 * route, so an event is delivered once.
 */
export function subscriptionRoutes(
  spec: SubscriptionSpec,
  prefix: string,
): { readonly routes: Route[] } | { readonly problem: string } {
  const byClean = new Map<string, { originals: string[]; forms: unknown[] }>();
  for (const originalType of uniqueTypes(spec.types)) {
    const cleanType =
      spec.typeMatching === 'exact'
        ? cleaned(originalType)
        : cleanEventType(prefix, spec.source, originalType);
    if ('problem' in cleanType)
      return { problem: `type ${JSON.stringify(originalType)}: ${cleanType.problem}` };
    const route = byClean.get(cleanType.type) ?? { originals: [], forms: [] };
    byClean.set(cleanType.type, route);
    route.originals.push(originalType);
    route.forms.push(...forms(spec, originalType, cleanType.type));
  }
  return {
    routes: [...byClean].map(([cleanType, { originals, forms }]) => ({
      cleanType,
      originalTypes: originals,
      filter: {
        filters:
          spec.typeMatching === 'exact'
            ? [{ exact: { type: cleanType } }]
            : [{ exact: { source: spec.source } }, { any: dedupe(forms) }],
      },
    })),
  };
}

function cleaned(type: string): { readonly type: string } {
  return { type };
}

/** The stored forms of one subscribed type's events (standard matching). */
function forms(spec: SubscriptionSpec, originalType: string, cleanType: string): unknown[] {
  if (spec.typeMatching === 'exact') return [];
  const found: unknown[] = [{ exact: { type: originalType } }, { exact: { type: cleanType } }];
  const legacy = splitVersion(originalType);
  if (legacy !== undefined) found.push({ exact: { type: legacy.name, eventtypeversion: legacy.version } });
  return found;
}

function dedupe(entries: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const text = JSON.stringify(entry);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}
