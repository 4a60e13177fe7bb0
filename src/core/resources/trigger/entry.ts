/** Trigger (`eventing.knative.dev/v1`, namespaced): its names and printing (all a client needs). */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import { defaultTrigger } from './defaults.js';
import type { KindEntry } from '../kind.js';
import { triggerVersions } from '../older-versions.js';

export const triggerEntry: KindEntry = {
  kind: 'Trigger',
  group: 'eventing.knative.dev',
  versions: triggerVersions,
  storageVersion: 'v1',
  plural: 'triggers',
  singular: 'trigger',
  shortNames: ['trg', 'tr'],
  categories: ['all', 'knative', 'eventing'],
  namespaced: true,
  description:
    "Sends the events of a broker that pass its filter to its subscriber, with the delivery's retries.",
  content: 'spec',
  nameFormat: 'dns1123-subdomain',
  defaults: defaultTrigger,
  printerColumns: [
    { name: 'Broker', type: 'string', jsonPath: '.spec.broker' },
    { name: 'Subscriber_URI', type: 'string', jsonPath: '.status.subscriberUri' },
    ageColumn,
    readyColumn,
    reasonColumn,
    { name: 'Dead_Letter_URI', type: 'string', jsonPath: '.status.deadLetterSinkUri', priority: 1 },
  ],
  history: 'trigger',
  sample: {
    name: 'my-trigger',
    content: {
      broker: 'default',
      filter: { attributes: { type: 'order.created' } },
      subscriber: { uri: 'http://127.0.0.1:9000/' },
      delivery: { retry: 3, backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' },
    },
  },
};
