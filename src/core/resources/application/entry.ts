/**
 * Application (`applicationconnector.kyma-project.io/v1alpha1`, cluster-scoped):
 * its names and printing (all a client needs).
 */
import { ageColumn, readyColumn, reasonColumn } from '../columns.js';
import type { KindEntry } from '../kind.js';

const DESCRIPTION_WIDTH = 40;

export const applicationEntry: KindEntry = {
  kind: 'Application',
  group: 'applicationconnector.kyma-project.io',
  versions: [{ name: 'v1alpha1' }],
  storageVersion: 'v1alpha1',
  plural: 'applications',
  singular: 'application',
  shortNames: ['app'],
  categories: [],
  namespaced: false,
  description: 'An external system that sends events through the application gateway.',
  content: 'spec',
  nameFormat: 'dns1123-subdomain',
  printerColumns: [
    readyColumn,
    reasonColumn,
    {
      name: 'Description',
      type: 'string',
      jsonPath: '.spec.description',
      format: (value) => {
        const text = typeof value === 'string' ? value : '';
        return text.length > DESCRIPTION_WIDTH ? `${text.slice(0, DESCRIPTION_WIDTH - 3)}...` : text;
      },
    },
    ageColumn,
  ],
  sample: { name: 'my-shop', content: { description: "The shop's order system" } },
};
