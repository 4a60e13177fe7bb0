/**
 * Application (`applicationconnector.kyma-project.io/v1alpha1`, cluster-scoped):
 * its entry, with its admission rules and conditions.
 */
import type { KindDefinition } from '../kind.js';
import { applicationSchema } from './schema.js';
import { applicationConditionSet } from './conditions.js';
import { validateApplication } from './validate.js';
import { applicationEntry } from './entry.js';

export const applicationKind: KindDefinition = {
  ...applicationEntry,
  schema: applicationSchema,
  validate: validateApplication,
  conditions: applicationConditionSet,
};
