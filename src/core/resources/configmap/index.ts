/** ConfigMap (`v1`, namespaced): its entry, with its admission rules and conditions. */
import type { KindDefinition } from '../kind.js';
import { configMapSchema } from './schema.js';
import { configMapConditionSet } from './conditions.js';
import { validateConfigMapUpdate } from './update.js';
import { validateConfigMap } from './validate.js';
import { configMapEntry } from './entry.js';

export const configMapKind: KindDefinition = {
  ...configMapEntry,
  schema: configMapSchema,
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  conditions: configMapConditionSet,
};
