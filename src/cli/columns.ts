/**
 * The table columns `cemesh get` prints per kind, as kubectl and kn print them: brokers show readiness and
 * address, triggers their broker and subscriber; every kind ends with readiness and age.
 */
import type { Resource } from '../controlplane/client/index.js';
import { ageOf } from './table.js';

interface Column {
  readonly header: string;
  readonly value: (object: Resource, now: Date) => string;
  /** Printed only with `-o wide` (kubectl's priority 1 columns). */
  readonly wide?: true;
}

const name: Column = { header: 'NAME', value: (o) => o.metadata.name };
const age: Column = { header: 'AGE', value: (o, now) => ageOf(o.metadata.creationTimestamp, now) };
const ready: Column = { header: 'READY', value: (o) => readyCondition(o)?.status ?? '' };
const reason: Column = { header: 'REASON', value: (o) => readyCondition(o)?.reason ?? '' };

const columnsByKind: Readonly<Record<string, readonly Column[]>> = {
  Broker: [
    name,
    ready,
    reason,
    { header: 'URL', value: (o) => stringAt(o.status, 'address', 'url') },
    age,
    {
      header: 'CLASS',
      value: (o) => o.metadata.annotations?.['eventing.knative.dev/broker.class'] ?? '',
      wide: true,
    },
  ],
  Trigger: [
    name,
    { header: 'BROKER', value: (o) => stringAt(o.spec, 'broker') },
    { header: 'SUBSCRIBER_URI', value: (o) => stringAt(o.status, 'subscriberUri') },
    age,
    ready,
    reason,
    { header: 'FILTER', value: (o) => filterSummary(o.spec), wide: true },
  ],
  Namespace: [
    name,
    ready,
    {
      header: 'PERSISTENCE',
      value: (o) => o.metadata.annotations?.['eventing.cemesh.dev/persistence'] ?? '',
    },
    age,
  ],
  ConfigMap: [name, { header: 'DATA', value: (o) => String(Object.keys(o.data ?? {}).length) }, age],
  Application: [
    name,
    ready,
    reason,
    { header: 'DESCRIPTION', value: (o) => truncate(stringAt(o.spec, 'description'), 40) },
    age,
  ],
  ApplicationMapping: [name, ready, reason, age],
};

const defaultColumns: readonly Column[] = [name, ready, reason, age];

export interface TableShape {
  readonly header: string[];
  row(object: Resource): string[];
}

/** Columns for a kind; with `allNamespaces`, a NAMESPACE column comes first; `wide` adds the wide columns. */
export function tableShape(
  kind: string,
  options: { allNamespaces: boolean; wide?: boolean },
  now: () => Date,
): TableShape {
  const allNamespaces = options.allNamespaces;
  const columns = (columnsByKind[kind] ?? defaultColumns).filter((c) => options.wide === true || !c.wide);
  const all: readonly Column[] = allNamespaces
    ? [{ header: 'NAMESPACE', value: (o) => o.metadata.namespace ?? '' }, ...columns]
    : columns;
  return {
    header: all.map((c) => c.header),
    row: (object) => all.map((c) => c.value(object, now())),
  };
}

export function readyCondition(
  object: Resource,
): { status?: string; reason?: string; message?: string } | undefined {
  const conditions = object.status?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c?.type === 'Ready') : undefined;
}

function stringAt(value: unknown, ...path: string[]): string {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' ? current : '';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `type=order.created,source=/shop` for attribute filters, `N filters` for the `filters` dialects. */
function filterSummary(spec: unknown): string {
  const filters = (spec as { filters?: unknown } | undefined)?.filters;
  if (Array.isArray(filters) && filters.length > 0)
    return `${filters.length} filter${filters.length === 1 ? '' : 's'}`;
  const attributes = (spec as { filter?: { attributes?: unknown } } | undefined)?.filter?.attributes;
  if (typeof attributes !== 'object' || attributes === null) return '';
  return Object.entries(attributes)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(',');
}
