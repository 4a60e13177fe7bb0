/** Function (`serverless.kyma-project.io/v1alpha2`, namespaced): its names and printing (all a client needs). */
import { ageColumn } from '../columns.js';
import type { KindEntry, PrinterColumn } from '../kind.js';
import { BUILD_READY, CONFIGURATION_READY, RUNNING } from './types.js';

const conditionColumn = (name: string, type: string): PrinterColumn => ({
  name,
  type: 'string',
  jsonPath: `.status.conditions[?(@.type=="${type}")].status`,
});

export const functionEntry: KindEntry = {
  kind: 'Function',
  group: 'serverless.kyma-project.io',
  versions: [{ name: 'v1alpha2' }],
  storageVersion: 'v1alpha2',
  plural: 'functions',
  singular: 'function',
  shortNames: ['fn', 'fns'],
  categories: ['all', 'kyma'],
  namespaced: true,
  description: 'A Node.js function with inline source that cemesh runs and triggers deliver events to.',
  content: 'spec',
  nameFormat: 'dns1123-label',
  // Kyma's printer columns (Configured, Running, Runtime, Version, Age) with BuildReady as Built.
  printerColumns: [
    conditionColumn('Configured', CONFIGURATION_READY),
    conditionColumn('Built', BUILD_READY),
    conditionColumn('Running', RUNNING),
    { name: 'Runtime', type: 'string', jsonPath: '.spec.runtime' },
    { name: 'Version', type: 'integer', jsonPath: '.metadata.generation' },
    ageColumn,
    { name: 'Replicas', type: 'integer', jsonPath: '.status.replicas', priority: 1 },
  ],
  sample: {
    name: 'my-function',
    content: {
      runtime: 'nodejs20',
      source: {
        inline: {
          source: 'module.exports = { main: async (event) => ({ received: event.data }) };\n',
        },
      },
    },
  },
};
