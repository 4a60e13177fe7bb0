/**
 * Pure formatting of API objects into short strings: ages, readiness, filter summaries, rates. No DOM and
 * no I/O (test/console/format.test.ts runs it in Node).
 */
import type { AttemptRecord, Resource } from './types.js';
import { DEFAULT_BROKER } from '../../core/resources/trigger/types.js';

export function keyOf(object: Pick<Resource, 'metadata'>): string {
  const meta = object.metadata;
  return (meta.namespace ? `${meta.namespace}/` : '') + meta.name;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** kubectl-style ages: 45s, 3m20s, 5h10m, 3d4h. */
export function ageOf(timestamp: string | undefined, now: number): string {
  const at = Date.parse(timestamp ?? '');
  if (Number.isNaN(at)) return '';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (h < 3) return `${m}m`;
  if (h < 48) return `${h}h${m % 60 && h < 8 ? `${m % 60}m` : ''}`;
  return `${d}d${h % 24 && d < 8 ? `${h % 24}h` : ''}`;
}

export interface Readiness {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

/** The Ready condition of any kind (Knative condition sets). */
export function readyOf(object: Pick<Resource, 'status'>): Readiness {
  const conditions = object.status?.['conditions'];
  if (Array.isArray(conditions)) {
    for (const c of conditions as Record<string, unknown>[]) {
      if (c['type'] === 'Ready') {
        const status = c['status'] === 'True' || c['status'] === 'False' ? c['status'] : 'Unknown';
        return { status, reason: String(c['reason'] ?? ''), message: String(c['message'] ?? '') };
      }
    }
  }
  return { status: 'Unknown', reason: 'NotReconciled', message: 'no Ready condition yet' };
}

function attributeList(map: Record<string, unknown>, operator: string): string {
  return Object.keys(map)
    .map((k) => `${k}${operator}${String(map[k])}`)
    .join(', ');
}

function dialectSummary(filter: unknown): string {
  if (!isObject(filter)) return '?';
  if (isObject(filter['exact'])) return attributeList(filter['exact'], ' = ');
  if (isObject(filter['prefix'])) return attributeList(filter['prefix'], ' starts with ');
  if (isObject(filter['suffix'])) return attributeList(filter['suffix'], ' ends with ');
  if (typeof filter['cesql'] === 'string') return `CESQL ${filter['cesql']}`;
  if (Array.isArray(filter['all'])) return `all(${filter['all'].map(dialectSummary).join('; ')})`;
  if (Array.isArray(filter['any'])) return `any(${filter['any'].map(dialectSummary).join(' | ')})`;
  if (isObject(filter['not'])) return `not(${dialectSummary(filter['not'])})`;
  return '?';
}

/** One line for a Trigger's filter (ARCHITECTURE 3: a non-empty spec.filters overrides spec.filter). */
export function filterSummary(spec: Record<string, unknown> | undefined): string {
  const filters = spec?.['filters'];
  if (Array.isArray(filters) && filters.length > 0) return filters.map(dialectSummary).join(' and ');
  const filter = spec?.['filter'];
  const attributes = isObject(filter) ? filter['attributes'] : undefined;
  if (isObject(attributes) && Object.keys(attributes).length > 0) {
    return Object.keys(attributes)
      .map((k) => (attributes[k] === '' ? `${k} is set` : `${k} = ${String(attributes[k])}`))
      .join(', ');
  }
  return 'all events';
}

/** Where a trigger delivers: the resolved URI, else the spec's ref (`Function/resize`) or URI. */
export function subscriberOf(trigger: Pick<Resource, 'spec' | 'status'>): string {
  const resolved = trigger.status?.['subscriberUri'];
  if (typeof resolved === 'string') return resolved;
  const subscriber = trigger.spec?.['subscriber'];
  if (!isObject(subscriber)) return '';
  const ref = subscriber['ref'];
  if (isObject(ref)) return `${String(ref['kind'])}/${String(ref['name'])}${String(subscriber['uri'] ?? '')}`;
  return typeof subscriber['uri'] === 'string' ? subscriber['uri'] : '';
}

/** The kind of a subscriber's ref (e.g. `Function`), or undefined for a plain URI. */
export function subscriberKindOf(trigger: Pick<Resource, 'spec'>): string | undefined {
  const subscriber = trigger.spec?.['subscriber'];
  const ref = isObject(subscriber) ? subscriber['ref'] : undefined;
  return isObject(ref) && typeof ref['kind'] === 'string' ? ref['kind'] : undefined;
}

export function brokerOf(trigger: Pick<Resource, 'spec'>): string {
  const broker = trigger.spec?.['broker'];
  return typeof broker === 'string' && broker !== '' ? broker : DEFAULT_BROKER;
}

export function addressOf(broker: Pick<Resource, 'status'>): string {
  const address = broker.status?.['address'];
  return isObject(address) && typeof address['url'] === 'string' ? address['url'] : '';
}

/** The backend a broker's events are stored in, from its status (not what a setting might say). */
export function persistenceOf(
  broker: Pick<Resource, 'status'>,
): { kind: string; source: string } | undefined {
  const p = broker.status?.['persistence'];
  if (!isObject(p) || typeof p['kind'] !== 'string') return undefined;
  return { kind: p['kind'], source: typeof p['source'] === 'string' ? p['source'] : '' };
}

/**
 * What a namespace's persistence is, said only from what is known: the annotation when set, and the
 * backends its brokers report in their status. Never "server default" unless a broker says so.
 */
export function namespacePersistence(
  namespace: Pick<Resource, 'metadata'>,
  brokers: readonly Pick<Resource, 'status'>[],
): string {
  const annotation = namespace.metadata.annotations?.['eventing.cemesh.dev/persistence'];
  const used = [...new Set(brokers.map((b) => persistenceOf(b)?.kind).filter((k) => k !== undefined))];
  const parts: string[] = [];
  if (annotation !== undefined) parts.push(`annotation asks ${annotation}`);
  if (used.length > 0) parts.push(`brokers use ${used.join(', ')}`);
  else parts.push(brokers.length === 0 ? 'no brokers yet' : 'brokers not reconciled yet');
  return parts.join('; ');
}

export function isPaused(trigger: Pick<Resource, 'metadata'>): boolean {
  return trigger.metadata.annotations?.['eventing.cemesh.dev/paused'] === 'true';
}

/** An attempt's result as `HTTP 503` or its network error. */
export function attemptResult(attempt: Pick<AttemptRecord, 'status' | 'error'>): string {
  return typeof attempt.status === 'number' ? `HTTP ${attempt.status}` : (attempt.error ?? 'no answer');
}

export function lastResult(attempts: readonly AttemptRecord[]): string {
  const last = attempts[attempts.length - 1];
  if (last === undefined) return '';
  return attemptResult(last) + (last.target === 'dead-letter' ? ' (dead-letter sink)' : '');
}

/** Events per second, short: `0`, `0.05/s`, `12/s`, `1.2k/s`. */
export function rateText(perSecond: number): string {
  if (perSecond <= 0) return '0/s';
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  if (perSecond >= 10) return `${Math.round(perSecond)}/s`;
  return `${Number(perSecond.toPrecision(2))}/s`;
}

export function percentText(ratio: number | null): string {
  if (ratio === null) return '\u2013';
  return `${Math.floor(ratio * 1000) / 10}%`;
}

/** An object as YAML-ready data for editing: without status and the fields the server sets. */
export function editable(object: Resource): Resource {
  const { uid: _uid, generation: _generation, creationTimestamp: _created, ...metadata } = object.metadata;
  const { status: _status, ...rest } = object;
  return { ...rest, metadata };
}
