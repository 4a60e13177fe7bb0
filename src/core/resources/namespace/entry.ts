/** Namespace (`v1`, cluster-scoped): its names and printing (all a client needs). */
import { ageColumn, readyColumn } from '../columns.js';
import type { KindEntry } from '../kind.js';
import { PERSISTENCE_ANNOTATION } from './types.js';

export const namespaceEntry: KindEntry = {
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
  printerColumns: [
    readyColumn,
    { name: 'Persistence', type: 'string', jsonPath: `.metadata.annotations['${PERSISTENCE_ANNOTATION}']` },
    ageColumn,
  ],
  sample: { name: 'my-namespace' },
};
