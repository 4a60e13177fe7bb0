/** EventPolicy (`eventing.knative.dev/v1alpha1`, namespaced): its names and printing (all a client needs). */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import type { KindEntry } from '../kind.js';

export const eventPolicyEntry: KindEntry = {
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
  printerColumns: [readyColumn, reasonColumn, ageColumn],
};
