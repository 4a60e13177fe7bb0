/** The Trigger's fields, as Knative's Trigger v1 CRD declares them (config/core/resources/trigger.yaml). */
import { DELIVERY_SPEC, deliveryComponents, DESTINATION, KREFERENCE } from '../../delivery/schema.js';
import { filterComponents, SUBSCRIPTIONS_API_FILTER, TRIGGER_FILTER } from '../../filters/schema.js';
import { objectSchema } from '../object-schema.js';
import { ref } from '../schema.js';

export const triggerSchema = objectSchema({
  description: 'A Knative Trigger: the events of a broker that pass its filters go to its subscriber.',
  spec: {
    type: 'object',
    description: "Which broker's events, filtered how, go to which subscriber, with which delivery options.",
    required: ['subscriber'],
    properties: {
      broker: { type: 'string', description: "The broker in the trigger's namespace; default: default." },
      // Knative's cross-namespace reference (feature cross-namespace-event-links): refused, see the decision.
      brokerRef: {
        ...ref(KREFERENCE),
        'x-cemesh-not-supported':
          'is not supported: a trigger subscribes to a broker in its own namespace (spec.broker); see ' +
          'docs/decisions/trigger-broker-ref.md',
      },
      filter: ref(TRIGGER_FILTER),
      filters: { type: 'array', items: ref(SUBSCRIPTIONS_API_FILTER) },
      subscriber: ref(DESTINATION),
      delivery: ref(DELIVERY_SPEC),
    },
  },
  components: { ...deliveryComponents, ...filterComponents },
});
