/** EventPolicy (`eventing.knative.dev/v1alpha1`, namespaced): its registry entry. */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import type { KindDefinition } from '../kind.js';
import { eventPolicyConditionSet } from './conditions.js';
import { eventPolicySchema } from './schema.js';
import { validateEventPolicy } from './validate.js';

export const eventPolicyKind: KindDefinition = {
  kind: 'EventPolicy',
  group: 'eventing.knative.dev',
  versions: [{ name: 'v1alpha1' }],
  storageVersion: 'v1alpha1',
  plural: 'eventpolicies',
  singular: 'eventpolicy',
  shortNames: [],
  categories: ['all', 'knative', 'eventing'],
  namespaced: true,
  description: 'Lets only the senders it names send (the events its filters pass) to the brokers it selects.',
  content: 'spec',
  nameFormat: 'dns1123-subdomain',
  schema: eventPolicySchema,
  validate: validateEventPolicy,
  conditions: eventPolicyConditionSet,
  printerColumns: [readyColumn, reasonColumn, ageColumn],
};
