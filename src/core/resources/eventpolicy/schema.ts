/**
 * The EventPolicy's fields, as Knative's EventPolicy v1alpha1 CRD declares them
 * (config/core/resources/eventpolicy.yaml): `spec.to` (targets by ref or label selector), `spec.from`
 * (senders by ref or subject) and `spec.filters` (SubscriptionsAPI filters the events must pass).
 */
import { filterComponents, SUBSCRIPTIONS_API_FILTER } from '../../filters/schema.js';
import { objectSchema } from '../object-schema.js';
import { ref, type Schema } from '../schema.js';

const text: Schema = { type: 'string' };

const targetRef: Schema = {
  type: 'object',
  description: "A target in the policy's namespace: a Broker.",
  properties: { apiVersion: text, kind: text, name: text },
};

const selector: Schema = {
  type: 'object',
  description: "Targets of a kind in the policy's namespace whose labels match.",
  properties: {
    apiVersion: text,
    kind: text,
    matchLabels: { type: 'object', additionalProperties: text },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: text,
          operator: { type: 'string', description: 'In, NotIn, Exists or DoesNotExist' },
          values: { type: 'array', items: text },
        },
      },
    },
  },
};

const senderRef: Schema = {
  type: 'object',
  description: 'A sender by the object it is: a Trigger, Function or Application (its subject follows).',
  properties: { apiVersion: text, kind: text, name: text, namespace: text },
};

export const eventPolicySchema = objectSchema({
  description: 'A Knative EventPolicy: which senders may send which events to the brokers it selects.',
  spec: {
    type: 'object',
    properties: {
      to: {
        type: 'array',
        description: "Targets it applies to; empty: every broker in the policy's namespace.",
        items: { type: 'object', properties: { ref: targetRef, selector } },
      },
      from: {
        type: 'array',
        description: 'Senders allowed: by ref, or by subject (`sub`, a trailing * matches any suffix).',
        items: { type: 'object', properties: { ref: senderRef, sub: text } },
      },
      filters: { type: 'array', items: ref(SUBSCRIPTIONS_API_FILTER) },
    },
  },
  components: filterComponents,
});
