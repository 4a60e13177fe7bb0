/** Function (`serverless.kyma-project.io/v1alpha2`, namespaced): its entry, with its admission rules and conditions. */
import type { KindDefinition } from '../kind.js';
import { functionConditionSet } from './conditions.js';
import { functionSchema } from './schema.js';
import { validateFunction } from './validate.js';
import { functionEntry } from './entry.js';

export const functionKind: KindDefinition = {
  ...functionEntry,
  schema: functionSchema,
  validate: validateFunction,
  conditions: functionConditionSet,
};
