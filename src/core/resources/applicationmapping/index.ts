/** ApplicationMapping (`applicationconnector.kyma-project.io/v1alpha1`, namespaced): its registry entry. */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import type { KindDefinition } from '../kind.js';
import { applicationMappingSchema } from './schema.js';
import { applicationMappingConditionSet } from './conditions.js';
import { validateApplicationMapping } from './validate.js';

export const applicationMappingKind: KindDefinition = {
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
  schema: applicationMappingSchema,
  validate: validateApplicationMapping,
  conditions: applicationMappingConditionSet,
  printerColumns: [readyColumn, reasonColumn, ageColumn],
  sample: { name: 'my-shop' },
};
