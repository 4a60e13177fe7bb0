/** ConfigMap (`v1`, namespaced): its names and printing (all a client needs). */
import { ageColumn } from '../columns.js';
import { isObject } from '../fields.js';
import type { KindEntry } from '../kind.js';

export const configMapEntry: KindEntry = {
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
