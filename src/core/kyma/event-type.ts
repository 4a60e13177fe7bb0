/**
 * Kyma's event-type cleaning (eventing-manager `pkg/backend/cleaner`, eventing-publisher-proxy
 * `cloudevents/builder` and `cloudevents/eventtype`), as a Subscription with `typeMatching: standard` applies
 * it: the subscribed type becomes `<prefix>.<source>.<type>` with
 * - the source (an application name) stripped of everything but ASCII letters and digits;
 * - the type's segments beyond three merged into the first (`Account.Root.Created.v1` becomes
 *   `AccountRoot.Created.v1`, the business object, operation and version of the SAP event specification),
 *   then stripped of everything but ASCII letters, digits and dots.
 * An empty segment left after cleaning makes the type unusable, as Kyma refuses it.
 */

/** Kyma's default eventing prefix (the Eventing CR's `eventTypePrefix`). */
export const KYMA_EVENT_TYPE_PREFIX = 'sap.kyma.custom';

/** The SAP event specification's business object, operation and version. */
const MAX_TYPE_SEGMENTS = 3;

export type Cleaned = { readonly type: string } | { readonly problem: string };

/** An application name (or a Subscription's source) without characters other than ASCII letters and digits. */
export function cleanSource(source: string): string {
  return source.replace(/[^a-zA-Z0-9]/g, '');
}

/** A type after the source: extra leading segments merged, characters other than `[a-zA-Z0-9.]` removed. */
export function cleanTypeSegments(type: string): string {
  const segments = type.split('.');
  const merged =
    segments.length > MAX_TYPE_SEGMENTS
      ? [segments.slice(0, -2).join(''), ...segments.slice(-2)].join('.')
      : type;
  return merged.replace(/[^a-zA-Z0-9.]/g, '');
}

/**
 * The type a `standard` Subscription on `source` and `type` matches, or why there is none. Kyma refuses
 * subscribed types that start with its prefix at admission; they are not special here.
 */
export function cleanEventType(prefix: string, source: string, type: string): Cleaned {
  const cleaned = cleanSource(source);
  if (cleaned === '') return { problem: 'the source has no letter or digit left after cleaning' };
  return joined(prefix, cleaned, cleanTypeSegments(type));
}

function joined(prefix: string, source: string, type: string): Cleaned {
  const full = prefix === '' ? `${source}.${type}` : `${prefix}.${source}.${type}`;
  if (full.split('.').some((segment) => segment === '')) {
    return { problem: `${JSON.stringify(full)} has an empty segment after cleaning` };
  }
  return { type: full };
}

/**
 * A type's event name and version, split at the last dot (`order.created.v1` is `order.created` version
 * `v1`): how the legacy event API's `event-type` and `event-type-version` make up a Kyma type.
 */
export function splitVersion(type: string): { readonly name: string; readonly version: string } | undefined {
  const dot = type.lastIndexOf('.');
  if (dot <= 0 || dot === type.length - 1) return undefined;
  return { name: type.slice(0, dot), version: type.slice(dot + 1) };
}
