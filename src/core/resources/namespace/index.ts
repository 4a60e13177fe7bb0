/** Namespace (`v1`, cluster-scoped): its registry entry. */
import { ageColumn, readyColumn } from '../columns.js';
import type { KindDefinition } from '../kind.js';
import { namespaceSchema } from './schema.js';
import { namespaceConditionSet } from './conditions.js';
import { PERSISTENCE_ANNOTATION } from './types.js';
import { validateNamespace } from './validate.js';

export const namespaceKind: KindDefinition = {
  kind: 'Namespace',
  group: '',
  versions: [{ name: 'v1' }],
  storageVersion: 'v1',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  description: `A namespace holds brokers, triggers and their configuration; ${PERSISTENCE_ANNOTATION} chooses where its brokers keep events.`,
  content: 'spec',
  nameFormat: 'dns1123-label',
  schema: namespaceSchema,
  validate: validateNamespace,
  conditions: namespaceConditionSet,
  printerColumns: [
    readyColumn,
    { name: 'Persistence', type: 'string', jsonPath: `.metadata.annotations['${PERSISTENCE_ANNOTATION}']` },
    ageColumn,
  ],
  sample: { name: 'my-namespace' },
};
