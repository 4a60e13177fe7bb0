import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLimitMb, memoryQuantityMb, replicasOf, resolveEnv, type FunctionSpec } from './spec.js';
import { fieldErrors } from '../schema.js';
import { functionSchema } from './schema.js';
import { validateFunction } from './validate.js';

const valid = { runtime: 'nodejs20', source: { inline: { source: 'module.exports = { main() {} };' } } };
const errorsOf = (spec: unknown): string[] =>
  [...fieldErrors({ spec }, functionSchema), ...validateFunction({ spec } as never)].map(
    (e) => `${e.field}: ${e.message}`,
  );

test('validateFunction: a Kyma inline Function is valid', () => {
  assert.deepEqual(
    errorsOf({
      ...valid,
      runtime: 'nodejs22',
      source: { inline: { source: 'x', dependencies: '{"dependencies":{"lodash":"^4"}}' } },
      env: [
        { name: 'A', value: '1' },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: true } } },
      ],
      replicas: 2,
      scaleConfig: { minReplicas: 1, maxReplicas: 3 },
      resourceConfiguration: { function: { profile: 'S' }, build: { profile: 'fast' } },
      labels: { app: 'orders' },
    }),
    [],
  );
});

test('validateFunction: every error at once, with its path', () => {
  const cases: [unknown, string[]][] = [
    [undefined, ['spec: required']],
    [
      { ...valid, runtime: 'python312' },
      ['spec.runtime: "python312" is a Kyma runtime cemesh does not run: use one of nodejs20, nodejs22'],
    ],
    [{ ...valid, runtime: 'java' }, ['spec.runtime: "java" is not a runtime: use one of nodejs20, nodejs22']],
    [{ runtime: 'nodejs20', source: { inline: { source: '' } } }, ['spec.source.inline.source: required']],
    [
      { runtime: 'nodejs20', source: { gitRepository: { url: 'https://x' } } },
      ['spec.source.gitRepository: not supported: cemesh runs inline sources only (spec.source.inline)'],
    ],
    [
      { ...valid, source: { inline: { source: 'x', dependencies: '[1]' } } },
      ['spec.source.inline.dependencies: must be a package.json object, not a list'],
    ],
    [
      { ...valid, env: [{ name: 'FUNC_RUNTIME', value: 'x' }] },
      ['spec.env[0].name: FUNC_RUNTIME is reserved for the runtime'],
    ],
    [
      { ...valid, env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] },
      [
        'spec.env[0].valueFrom.secretKeyRef: not supported: cemesh has no Secrets; use a ConfigMap (configMapKeyRef)',
      ],
    ],
    [{ ...valid, replicas: -1 }, ['spec.replicas: must be an integer of at least 0, not -1']],
    [
      { ...valid, scaleConfig: { minReplicas: 3, maxReplicas: 2 } },
      ['spec.scaleConfig.maxReplicas: must not be less than minReplicas'],
    ],
    [
      { ...valid, resourceConfiguration: { function: { profile: 'XXL' } } },
      ['spec.resourceConfiguration.function.profile: "XXL" is not one of XS, S, M, L, XL'],
    ],
    [
      { ...valid, resourceConfiguration: { function: { resources: { limits: { memory: 'lots' } } } } },
      [
        'spec.resourceConfiguration.function.resources.limits.memory: "lots" is not a memory quantity such as 512Mi',
      ],
    ],
    [
      { ...valid, labels: { 'serverless.kyma-project.io/x': 'y' } },
      [
        'spec.labels[serverless.kyma-project.io/x]: keys starting with serverless.kyma-project.io/ are reserved',
      ],
    ],
    [{ ...valid, secretMounts: [] }, ['spec.secretMounts: not supported: cemesh has no Secrets to mount']],
    [
      { ...valid, colour: 'red' },
      [
        'spec.colour: unknown field; this mapping holds runtime, source, env, replicas, scaleConfig, resourceConfiguration, labels, annotations',
      ],
    ],
  ];
  for (const [spec, expected] of cases) assert.deepEqual(errorsOf(spec), expected, JSON.stringify(spec));
});

test('memory: Kyma profiles, Kubernetes quantities, the default L profile', () => {
  const spec = (resourceConfiguration: unknown): FunctionSpec =>
    ({ ...valid, resourceConfiguration }) as FunctionSpec;
  assert.equal(memoryLimitMb(spec(undefined)), 1024);
  assert.equal(memoryLimitMb(spec({ function: { profile: 'XS' } })), 256);
  assert.equal(memoryLimitMb(spec({ function: { resources: { limits: { memory: '512Mi' } } } })), 512);
  assert.equal(memoryLimitMb(spec({ function: { resources: { requests: { memory: '1Gi' } } } })), 1024);
  assert.deepEqual(['128Mi', '1G', 268435456, 'x'].map(memoryQuantityMb), [
    128,
    953.67431640625,
    256,
    undefined,
  ]);
});

test('replicasOf: spec.replicas, else scaleConfig.minReplicas, else 1', () => {
  assert.equal(replicasOf({ ...valid, replicas: 0 } as FunctionSpec), 0);
  assert.equal(replicasOf({ ...valid, scaleConfig: { minReplicas: 2 } } as FunctionSpec), 2);
  assert.equal(replicasOf(valid as FunctionSpec), 1);
});

test('resolveEnv: values, ConfigMap keys, optional and missing references', () => {
  const maps: Record<string, Record<string, string>> = { cm: { url: 'http://x' } };
  const env = (entries: unknown): ReturnType<typeof resolveEnv> =>
    resolveEnv({ ...valid, env: entries } as FunctionSpec, (name) => maps[name]);
  assert.deepEqual(
    env([
      { name: 'A', value: '1' },
      { name: 'URL', valueFrom: { configMapKeyRef: { name: 'cm', key: 'url' } } },
      { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } },
    ]),
    { env: { A: '1', URL: 'http://x' } },
  );
  assert.deepEqual(env([{ name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope' } } }]), {
    reason: 'ConfigMapKeyNotFound',
    message: 'env B: ConfigMap "cm" has no key "nope"',
  });
  assert.deepEqual(env([{ name: 'C', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } }]), {
    reason: 'ConfigMapKeyNotFound',
    message: 'env C: ConfigMap "gone" does not exist',
  });
});
