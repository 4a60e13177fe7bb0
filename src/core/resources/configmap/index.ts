/** ConfigMap (`v1`, namespaced): its registry entry. */
import { ageColumn } from '../columns.js';
import { isObject } from '../fields.js';
import type { KindDefinition } from '../kind.js';
import { configMapSchema } from './schema.js';
import { configMapConditionSet } from './conditions.js';
import { validateConfigMapUpdate } from './update.js';
import { validateConfigMap } from './validate.js';

export const configMapKind: KindDefinition = {
  kind: 'ConfigMap',
  group: '',
  versions: [{ name: 'v1' }],
  storageVersion: 'v1',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  categories: [],
  namespaced: true,
  description: 'Configuration as string data: config-br-defaults and broker configs (channel-template-spec).',
  content: 'data',
  nameFormat: 'dns1123-subdomain',
  schema: configMapSchema,
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  conditions: configMapConditionSet,
  printerColumns: [
    {
      name: 'Data',
      type: 'integer',
      jsonPath: '.data',
      description: 'the number of keys',
      format: (data) => String(isObject(data) ? Object.keys(data).length : 0),
    },
    ageColumn,
  ],
  sample: { name: 'my-config', content: { key: 'value' } },
};
