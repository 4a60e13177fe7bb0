/**
 * The Function's fields (Kyma's `serverless.kyma-project.io/v1alpha2` CRD), restricted to what cemesh runs:
 * inline Node.js sources. The fields Kyma has that need containers, Git or Secrets are refused with why.
 */
import { objectSchema } from '../object-schema.js';
import type { Schema } from '../schema.js';

const text: Schema = { type: 'string' };
const stringMap: Schema = { type: 'object', additionalProperties: text };

function notSupported(why: string): Schema {
  return { 'x-cemesh-not-supported': `not supported: ${why}` };
}

/** Kubernetes' quantities by resource name (`memory: 512Mi`); cemesh reads the memory. */
const quantities: Schema = { type: 'object', additionalProperties: { description: 'A quantity.' } };
const requirements: Schema = {
  type: 'object',
  properties: {
    profile: text,
    resources: { type: 'object', properties: { limits: quantities, requests: quantities } },
  },
};

const envVar: Schema = {
  type: 'object',
  properties: {
    name: text,
    value: text,
    valueFrom: {
      type: 'object',
      properties: {
        configMapKeyRef: {
          type: 'object',
          properties: { name: text, key: text, optional: { type: 'boolean' } },
        },
        secretKeyRef: notSupported('cemesh has no Secrets; use a ConfigMap (configMapKeyRef)'),
        fieldRef: notSupported('cemesh has no pods to read fields of'),
        resourceFieldRef: notSupported('cemesh has no containers to read resources of'),
      },
    },
  },
};

export const functionSchema = objectSchema({
  description: 'A Kyma Function with an inline Node.js source, run by cemesh as a process.',
  spec: {
    type: 'object',
    properties: {
      runtime: text,
      source: {
        type: 'object',
        properties: {
          inline: { type: 'object', properties: { source: text, dependencies: text } },
          gitRepository: notSupported('cemesh runs inline sources only (spec.source.inline)'),
        },
      },
      env: { type: 'array', items: envVar },
      replicas: { type: 'integer' },
      scaleConfig: {
        type: 'object',
        properties: { minReplicas: { type: 'integer' }, maxReplicas: { type: 'integer' } },
      },
      resourceConfiguration: {
        type: 'object',
        properties: { function: requirements, build: requirements },
      },
      labels: stringMap,
      annotations: stringMap,
      runtimeImageOverride: notSupported('cemesh runs functions as Node.js processes, not container images'),
      podSecurityContext: notSupported(
        'cemesh runs functions as Node.js processes under its permission model, not in pods',
      ),
      containerSecurityContext: notSupported(
        'cemesh runs functions as Node.js processes under its permission model, not in containers',
      ),
      secretMounts: notSupported('cemesh has no Secrets to mount'),
      template: notSupported('deprecated in Kyma; use spec.labels'),
    },
  },
});
