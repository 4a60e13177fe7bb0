/**
 * EventPolicy (`eventing.knative.dev/v1alpha1`, namespaced): a typed reader of a validated spec, which
 * brokers a policy selects, and the subjects its `spec.from` allows. Pure: the reconciler and the data plane
 * use these to decide who may send to a broker (docs/decisions/sender-authorization.md).
 */
import { applicationSubject, functionSubject, triggerSubject } from '../../authz/subjects.js';
import {
  LABEL_OPERATORS,
  selectorMatches,
  type LabelRequirement,
  type LabelSelectorSpec,
} from '../../authz/selector.js';
import { namespaceOrDefault } from '../defaults.js';
import { isObject } from '../fields.js';
import type { Resource } from '../object.js';

export const EVENT_POLICY_API_VERSION = 'eventing.knative.dev/v1alpha1';
export const BROKER_GROUP = 'eventing.knative.dev';

export type PolicyTarget =
  | { readonly type: 'ref'; readonly apiVersion: string; readonly kind: string; readonly name: string }
  | {
      readonly type: 'selector';
      readonly apiVersion: string;
      readonly kind: string;
      readonly selector: LabelSelectorSpec;
    };

export type PolicySender =
  | {
      readonly type: 'ref';
      readonly apiVersion: string;
      readonly kind: string;
      readonly name: string;
      readonly namespace: string | undefined;
    }
  | { readonly type: 'sub'; readonly pattern: string };

export interface EventPolicySpec {
  readonly to: readonly PolicyTarget[];
  readonly from: readonly PolicySender[];
  readonly filters: readonly unknown[];
}

/** The kinds a `spec.from[].ref` may name: the senders that have a subject in cemesh. */
export const SENDER_KINDS = ['Trigger', 'Function', 'Application'] as const;

/** Reads a spec that validation accepted. */
export function readEventPolicy(policy: Resource): EventPolicySpec {
  const spec = policy.spec ?? {};
  return {
    to: list(spec['to']).map(readTarget),
    from: list(spec['from']).map(readSender),
    filters: list(spec['filters']),
  };
}

function readTarget(entry: unknown): PolicyTarget {
  const value = isObject(entry) ? entry : {};
  if (isObject(value['ref'])) {
    const r = value['ref'];
    return { type: 'ref', apiVersion: str(r['apiVersion']), kind: str(r['kind']), name: str(r['name']) };
  }
  const s = isObject(value['selector']) ? value['selector'] : {};
  const labels = isObject(s['matchLabels']) ? s['matchLabels'] : {};
  return {
    type: 'selector',
    apiVersion: str(s['apiVersion']),
    kind: str(s['kind']),
    selector: {
      matchLabels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, str(v)])),
      matchExpressions: list(s['matchExpressions']).map(readRequirement),
    },
  };
}

function readRequirement(entry: unknown): LabelRequirement {
  const value = isObject(entry) ? entry : {};
  const operator = LABEL_OPERATORS.find((o) => o === value['operator']) ?? 'Exists';
  return { key: str(value['key']), operator, values: list(value['values']).map(str) };
}

function readSender(entry: unknown): PolicySender {
  const value = isObject(entry) ? entry : {};
  if (isObject(value['ref'])) {
    const r = value['ref'];
    const namespace =
      typeof r['namespace'] === 'string' && r['namespace'] !== '' ? r['namespace'] : undefined;
    return {
      type: 'ref',
      apiVersion: str(r['apiVersion']),
      kind: str(r['kind']),
      name: str(r['name']),
      namespace,
    };
  }
  return { type: 'sub', pattern: str(value['sub']) };
}

/**
 * True when the policy applies to the broker: an empty `spec.to` applies to every broker of the policy's
 * namespace (Knative); otherwise a ref naming it, or a selector of Brokers whose labels it has.
 */
export function policySelectsBroker(policy: Resource, spec: EventPolicySpec, broker: Resource): boolean {
  if (namespaceOrDefault(policy.metadata.namespace) !== namespaceOrDefault(broker.metadata.namespace))
    return false;
  if (spec.to.length === 0) return true;
  return spec.to.some((target) => {
    if (target.kind !== 'Broker' || groupOf(target.apiVersion) !== BROKER_GROUP) return false;
    return target.type === 'ref'
      ? target.name === broker.metadata.name
      : selectorMatches(target.selector, broker.metadata.labels);
  });
}

/**
 * The subject patterns a policy allows, `spec.from` in order: a `sub` as written, a ref as the subject its
 * object sends with (a Trigger's replies, a Function's events, an Application's). A ref without namespace
 * means the policy's namespace, as in Knative.
 */
export function allowedSubjects(policy: Resource, spec: EventPolicySpec): string[] {
  const own = namespaceOrDefault(policy.metadata.namespace);
  return spec.from.map((sender) => {
    if (sender.type === 'sub') return sender.pattern;
    const namespace = sender.namespace ?? own;
    switch (sender.kind) {
      case 'Trigger':
        return triggerSubject(namespace, sender.name);
      case 'Function':
        return functionSubject(namespace, sender.name);
      default:
        return applicationSubject(sender.name);
    }
  });
}

/** `eventing.knative.dev` of `eventing.knative.dev/v1`; '' for the core group's `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
