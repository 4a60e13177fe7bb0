/** The Namespace's fields, as Kubernetes' core v1 Namespace has them. */
import { objectSchema } from '../object-schema.js';

export const namespaceSchema = objectSchema({
  description: 'A Kubernetes Namespace; its annotations choose where its brokers keep events.',
  spec: {
    type: 'object',
    properties: {
      // Kubernetes sets ["kubernetes"] here; cemesh deletes a namespace's objects with it at once.
      finalizers: { type: 'array', items: { type: 'string' } },
    },
  },
});
