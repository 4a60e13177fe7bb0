/** EventPolicy (`eventing.knative.dev/v1alpha1`, namespaced): its entry, with its admission rules and conditions. */
import type { KindDefinition } from '../kind.js';
import { eventPolicyConditionSet } from './conditions.js';
import { eventPolicySchema } from './schema.js';
import { validateEventPolicy } from './validate.js';
import { eventPolicyEntry } from './entry.js';

export const eventPolicyKind: KindDefinition = {
  ...eventPolicyEntry,
  schema: eventPolicySchema,
  validate: validateEventPolicy,
  conditions: eventPolicyConditionSet,
};
