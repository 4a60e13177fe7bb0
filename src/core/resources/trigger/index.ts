/** Trigger (`eventing.knative.dev/v1`, namespaced): its entry, with its admission rules and conditions. */
import type { KindDefinition } from '../kind.js';
import { triggerSchema } from './schema.js';
import { triggerConditionSet } from './conditions.js';
import { validateTrigger, validateTriggerUpdate } from './validate.js';
import { triggerEntry } from './entry.js';

export const triggerKind: KindDefinition = {
  ...triggerEntry,
  schema: triggerSchema,
  validate: validateTrigger,
  validateUpdate: validateTriggerUpdate,
  conditions: triggerConditionSet,
};
