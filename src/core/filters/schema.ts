/**
 * A Trigger's filters as schema parts: the legacy `filter` (attributes only) and Knative's
 * SubscriptionsAPIFilter, whose `all`, `any` and `not` nest the same filter again (a `$ref` to itself, which
 * a CRD cannot say and so Knative's CRD leaves those open; cemesh checks every level).
 */
import { ref, type Schema } from '../resources/schema.js';

export const TRIGGER_FILTER = 'dev.knative.eventing.pkg.apis.eventing.v1.TriggerFilter';
export const SUBSCRIPTIONS_API_FILTER = 'dev.knative.eventing.pkg.apis.eventing.v1.SubscriptionsAPIFilter';

const attributeMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const nested: Schema = { type: 'array', items: ref(SUBSCRIPTIONS_API_FILTER) };

export const filterComponents: Readonly<Record<string, Schema>> = {
  [TRIGGER_FILTER]: {
    type: 'object',
    description: 'Events pass when each named attribute equals its value (an empty value: is present).',
    properties: { attributes: attributeMap },
  },
  [SUBSCRIPTIONS_API_FILTER]: {
    type: 'object',
    description: 'Exactly one filter dialect.',
    properties: {
      exact: attributeMap,
      prefix: attributeMap,
      suffix: attributeMap,
      all: nested,
      any: nested,
      not: ref(SUBSCRIPTIONS_API_FILTER),
      cesql: { type: 'string' },
    },
  },
};
