/** The ApplicationMapping's fields, as Kyma's CRD declares them (a list of service ids, optional). */
import { objectSchema } from '../object-schema.js';

export const applicationMappingSchema = objectSchema({
  description: "A Kyma ApplicationMapping: binds the Application of its name to the mapping's namespace.",
  spec: {
    type: 'object',
    properties: {
      services: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
    },
  },
});
