/** Broker (`eventing.knative.dev/v1`, namespaced): its registry entry. */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import type { KindDefinition } from '../kind.js';
import { brokerSchema } from './schema.js';
import { brokerVersions } from '../older-versions.js';
import { brokerConditionSet } from './conditions.js';
import { defaultBroker } from './defaults.js';
import { validateBroker, validateBrokerUpdate } from './validate.js';

export const brokerKind: KindDefinition = {
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
  schema: brokerSchema,
  validate: validateBroker,
  defaults: defaultBroker,
  validateUpdate: validateBrokerUpdate,
  conditions: brokerConditionSet,
  printerColumns: [
    readyColumn,
    reasonColumn,
    { name: 'URL', type: 'string', jsonPath: '.status.address.url' },
    // Where its events live (fixed when the broker was created): memory loses them on restart.
    { name: 'Storage', type: 'string', jsonPath: '.status.persistence.kind' },
    ageColumn,
    { name: 'Storage-Source', type: 'string', jsonPath: '.status.persistence.source', priority: 1 },
  ],
  history: 'broker',
  sample: { name: 'default' },
};
