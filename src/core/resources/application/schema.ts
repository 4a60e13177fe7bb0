/**
 * The Application's fields, as Kyma's CRD declares them (applications.applicationconnector.kyma-project.io,
 * v1alpha1). cemesh reads the name and description; the rest is kept so that Kyma manifests apply unchanged.
 */
import { objectSchema } from '../object-schema.js';
import type { Schema } from '../schema.js';

const text: Schema = { type: 'string' };
const flag: Schema = { type: 'boolean' };
const strings: Schema = { type: 'array', items: text };
const stringMap: Schema = { type: 'object', additionalProperties: text };

const entry: Schema = {
  type: 'object',
  properties: {
    apiType: text,
    type: text,
    gatewayUrl: text,
    centralGatewayUrl: text,
    accessLabel: text,
    targetUrl: text,
    id: text,
    name: text,
    requestParametersSecretName: text,
    specificationUrl: text,
    credentials: {
      type: 'object',
      properties: {
        type: text,
        secretName: text,
        authenticationUrl: text,
        csrfInfo: { type: 'object', properties: { tokenEndpointURL: text } },
      },
    },
  },
};

/** Kyma's `services` list, which an ApplicationMapping names by `id` too. */
export const serviceSchema: Schema = {
  type: 'object',
  properties: {
    id: text,
    name: text,
    identifier: text,
    labels: stringMap,
    displayName: text,
    description: text,
    longDescription: text,
    providerDisplayName: text,
    authCreateParameterSchema: text,
    entries: { type: 'array', items: entry },
    tags: strings,
  },
};

export const applicationSchema = objectSchema({
  description: 'A Kyma Application: an external system that sends events through the gateway.',
  spec: {
    type: 'object',
    properties: {
      description: text,
      displayName: text,
      providerDisplayName: text,
      longDescription: text,
      tenant: text,
      group: text,
      accessLabel: text,
      skipVerify: flag,
      skipInstallation: flag,
      encodeUrl: flag,
      labels: stringMap,
      tags: strings,
      compassMetadata: {
        type: 'object',
        properties: {
          applicationId: text,
          authentication: { type: 'object', properties: { clientIds: strings } },
        },
      },
      services: { type: 'array', items: serviceSchema },
    },
  },
});
