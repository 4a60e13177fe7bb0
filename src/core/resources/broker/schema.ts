/** The Broker's fields, as Knative's Broker v1 CRD declares them (config/core/resources/broker.yaml). */
import { DELIVERY_SPEC, deliveryComponents, KREFERENCE } from '../../delivery/schema.js';
import { PERSISTENCE_ANNOTATION } from '../namespace/types.js';
import { objectSchema } from '../object-schema.js';
import { ref } from '../schema.js';

export const brokerSchema = objectSchema({
  description: 'A Knative Broker: an address that keeps events until the matching triggers delivered them.',
  spec: {
    type: 'object',
    description:
      "The broker's configuration: where its channel settings come from, and how events are delivered.",
    properties: {
      config: { ...ref(KREFERENCE), description: 'A ConfigMap holding channel-template-spec.' },
      delivery: ref(DELIVERY_SPEC),
      // A v1alpha1 Broker's channel choice: v1beta1 and v1 have no such field, and cemesh will not drop it.
      channelTemplateSpec: {
        type: 'object',
        'x-cemesh-not-supported':
          'is a v1alpha1 field that v1 replaced with spec.config: put the template in a ConfigMap under ' +
          `channel-template-spec and reference it in spec.config (or set the namespace annotation ${PERSISTENCE_ANNOTATION})`,
      },
    },
  },
  components: deliveryComponents,
});
