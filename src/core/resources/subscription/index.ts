/**
 * Subscription (`eventing.kyma-project.io/v1alpha2`, served in v1alpha1 too; namespaced):
 * its entry, with its admission rules and conditions.
 */
import type { KindDefinition } from '../kind.js';
import { subscriptionConditionSet } from './conditions.js';
import { subscriptionSchema } from './schema.js';
import { validateSubscription } from './validate.js';
import { subscriptionEntry } from './entry.js';

export const subscriptionKind: KindDefinition = {
  ...subscriptionEntry,
  schema: subscriptionSchema,
  validate: validateSubscription,
  conditions: subscriptionConditionSet,
};
