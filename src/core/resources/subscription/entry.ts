/**
 * Subscription (`eventing.kyma-project.io/v1alpha2`, served in v1alpha1 too; namespaced):
 * its names and printing (all a client needs).
 */
import { ageColumn, reasonColumn } from '../columns.js';
import { defaultSubscription } from './defaults.js';
import type { KindEntry } from '../kind.js';
import { SUBSCRIPTION_GROUP } from './types.js';
import { subscriptionV1alpha1 } from './v1alpha1.js';

export const subscriptionEntry: KindEntry = {
  kind: 'Subscription',
  group: SUBSCRIPTION_GROUP,
  versions: [{ name: 'v1alpha2' }, subscriptionV1alpha1],
  storageVersion: 'v1alpha2',
  plural: 'subscriptions',
  singular: 'subscription',
  shortNames: [],
  categories: ['all', 'kyma-eventing'],
  namespaced: true,
  description:
    "Sends an application's events of the listed types to a sink, routed like a trigger on the namespace's default broker.",
  content: 'spec',
  nameFormat: 'dns1123-subdomain',
  // Kyma's printer columns (Ready from status.ready, Age), then what a user looks for first.
  defaults: defaultSubscription,
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.ready' },
    ageColumn,
    { name: 'Source', type: 'string', jsonPath: '.spec.source' },
    { name: 'Sink', type: 'string', jsonPath: '.spec.sink' },
    reasonColumn,
    { name: 'Clean_Types', type: 'string', jsonPath: '.status.types[*].cleanType', priority: 1 },
  ],
  history: 'trigger',
};
