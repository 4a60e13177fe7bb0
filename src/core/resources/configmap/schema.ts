/** The ConfigMap's fields, as Kubernetes' core v1 ConfigMap has them (no spec). */
import { objectSchema } from '../object-schema.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const configMapSchema = objectSchema({
  description: 'A Kubernetes ConfigMap: Knative configuration (config-br-defaults, channel templates).',
  fields: {
    data: stringMap,
    binaryData: { ...stringMap, description: 'Base64-encoded values.' },
    immutable: { type: 'boolean' },
  },
});
