/**
 * ApplicationMapping (`applicationconnector.kyma-project.io/v1alpha1`, namespaced):
 * its names and printing (all a client needs).
 */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import type { KindEntry } from '../kind.js';

export const applicationMappingEntry: KindEntry = {
  kind: 'ApplicationMapping',
  group: 'applicationconnector.kyma-project.io',
  versions: [{ name: 'v1alpha1' }],
  storageVersion: 'v1alpha1',
  plural: 'applicationmappings',
  singular: 'applicationmapping',
  shortNames: ['am'],
  categories: [],
  namespaced: true,
  description: "Lets the Application of the same name send events to this namespace's default broker.",
  content: 'spec',
  nameFormat: 'dns1123-subdomain',
  printerColumns: [readyColumn, reasonColumn, ageColumn],
  sample: { name: 'my-shop' },
};
