/**
 * The Subscription's fields, as Kyma's v1alpha2 CRD declares them (eventing-manager
 * `config/crd/bases/eventing.kyma-project.io_subscriptions.yaml`). `spec.config` is a string map in Kyma;
 * cemesh declares the one key its delivery honours, so any other (EventMesh's `qos`, webhook auth) is
 * refused by name instead of ignored.
 */
import { objectSchema } from '../object-schema.js';
import type { Schema } from '../schema.js';

const text: Schema = { type: 'string' };

export const subscriptionSchema = objectSchema({
  description: 'A Kyma Subscription: events of one source and a list of types go to a sink URL.',
  spec: {
    type: 'object',
    required: ['sink', 'types'],
    properties: {
      id: {
        ...text,
        description: 'Unique identifier of the Subscription, read-only in Kyma; kept as given.',
      },
      sink: { ...text, description: 'The URL events are delivered to.' },
      typeMatching: { ...text, description: 'standard (Kyma cleans source and types) or exact.' },
      source: { ...text, description: 'The origin of the events: an application name for standard.' },
      types: { type: 'array', items: text },
      config: {
        type: 'object',
        properties: {
          maxInFlightMessages: {
            ...text,
            description: 'How many deliveries may be in flight at once per type, a stringified integer.',
          },
        },
      },
    },
  },
});
