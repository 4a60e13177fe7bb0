/** Broker (`eventing.knative.dev/v1`, namespaced): its entry, with its admission rules and conditions. */
import type { KindDefinition } from '../kind.js';
import { brokerSchema } from './schema.js';
import { brokerConditionSet } from './conditions.js';
import { validateBroker, validateBrokerUpdate } from './validate.js';
import { brokerEntry } from './entry.js';

export const brokerKind: KindDefinition = {
  ...brokerEntry,
  schema: brokerSchema,
  validate: validateBroker,
  validateUpdate: validateBrokerUpdate,
  conditions: brokerConditionSet,
};
