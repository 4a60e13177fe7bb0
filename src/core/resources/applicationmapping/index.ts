/**
 * ApplicationMapping (`applicationconnector.kyma-project.io/v1alpha1`, namespaced):
 * its entry, with its admission rules and conditions.
 */
import type { KindDefinition } from '../kind.js';
import { applicationMappingSchema } from './schema.js';
import { applicationMappingConditionSet } from './conditions.js';
import { validateApplicationMapping } from './validate.js';
import { applicationMappingEntry } from './entry.js';

export const applicationMappingKind: KindDefinition = {
  ...applicationMappingEntry,
  schema: applicationMappingSchema,
  validate: validateApplicationMapping,
  conditions: applicationMappingConditionSet,
};
