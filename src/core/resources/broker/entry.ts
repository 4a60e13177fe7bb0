/** Broker (`eventing.knative.dev/v1`, namespaced): its names and printing (all a client needs). */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import { defaultBroker } from './defaults.js';
import type { KindEntry } from '../kind.js';
import { brokerVersions } from '../older-versions.js';

export const brokerEntry: KindEntry = {
  kind: 'Broker',
  group: 'eventing.knative.dev',
  versions: brokerVersions,
  storageVersion: 'v1',
  plural: 'brokers',
  singular: 'broker',
  shortNames: ['brk'],
  categories: ['all', 'knative', 'eventing'],
  namespaced: true,
  description:
    'Receives CloudEvents at its address and keeps them until every matching trigger delivered them.',
  content: 'spec',
  nameFormat: 'dns1123-subdomain',
  defaults: defaultBroker,
  printerColumns: [
    readyColumn,
    reasonColumn,
    { name: 'URL', type: 'string', jsonPath: '.status.address.url' },
    // Where its events live (fixed when the broker was created): memory loses them on restart.
    { name: 'Storage', type: 'string', jsonPath: '.status.persistence.kind' },
    ageColumn,
    { name: 'Storage-Source', type: 'string', jsonPath: '.status.persistence.source', priority: 1 },
    // Streams the broker is spread over (eventing.cemesh.dev/shards, jetstream only).
    { name: 'Shards', type: 'integer', jsonPath: '.status.shards', priority: 1 },
  ],
  history: 'broker',
  sample: { name: 'default' },
};
