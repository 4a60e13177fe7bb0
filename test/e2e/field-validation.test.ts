// Unknown and unsupported fields are refused with 422 naming the path, through the API and `cemesh apply`
// (issue 13: a misspelled field must never yield a resource that says Ready and does something else).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { runCli, startApi, type ApiServer } from '../support/cli.js';

let api: ApiServer;
let dir: string;

before(async () => {
  api = await startApi();
  dir = await mkdtemp(join(tmpdir(), 'cemesh-fields-'));
});

after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const trigger = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Trigger',
  metadata: { name: 'orders', namespace: 'default' },
  spec: { broker: 'default', subscriber: { uri: 'http://sink.example/' }, ...spec },
});

interface Answer {
  status: number;
  warnings: string[];
  body: { message: string; spec?: Record<string, unknown>; details: { causes: unknown[] } };
}

async function send(
  method: 'POST' | 'PUT' | 'PATCH',
  path: string,
  body: unknown,
  query = '',
  contentType = 'application/json',
): Promise<Answer> {
  const response = await request(`${api.url}${path}${query}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': contentType },
    body: JSON.stringify(body),
  });
  const warning = response.headers.warning;
  const warnings = warning === undefined ? [] : Array.isArray(warning) ? warning : [warning];
  return { status: response.statusCode, warnings, body: (await response.body.json()) as never };
}

const TRIGGERS = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';
const post = (body: unknown, query = ''): Promise<Answer> => send('POST', TRIGGERS, body, query);

const refused: [string, Record<string, unknown>, string, RegExp][] = [
  [
    'a misspelled filter field',
    { filter: { atributes: { type: 'x' } } },
    'spec.filter.atributes',
    /unknown field/,
  ],
  ['a misspelled spec field', { subscribr: { uri: 'http://x/' } }, 'spec.subscribr', /unknown field/],
  ['spec.brokerRef', { brokerRef: { name: 'other', namespace: 'b' } }, 'spec.brokerRef', /not supported/],
  [
    'a destination audience',
    { subscriber: { uri: 'http://x/', audience: 'a' } },
    'spec.subscriber.audience',
    /not supported yet/,
  ],
];

for (const [name, spec, path, message] of refused) {
  test(`the API refuses ${name} with 422 naming ${path}`, async () => {
    const answer = await post(trigger(spec));
    assert.equal(answer.status, 422);
    const cause = answer.body.details.causes.find((c) => (c as { field: string }).field === path) as
      { message: string } | undefined;
    assert.match(cause?.message ?? '', message);
    assert.match(answer.body.message, new RegExp(path.replace(/\./g, '\\.')));
  });
}

test('cemesh apply shows the 422 with the path of the misspelled field, and stores nothing', async () => {
  const file = join(dir, 'trigger.yaml');
  await writeFile(
    file,
    [
      'apiVersion: eventing.knative.dev/v1',
      'kind: Trigger',
      'metadata: {name: orders}',
      'spec:',
      '  broker: default',
      '  filter: {atributes: {type: order.created}}',
      '  subscriber: {uri: "http://sink.example/"}',
    ].join('\n'),
  );
  const result = await runCli(['apply', '-f', file], {
    env: { CEMESH_SERVER: api.url, CEMESH_TOKEN: api.token },
  });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /spec\.filter\.atributes: unknown field/);
  assert.equal(await api.store.get({ kind: 'Trigger', namespace: 'default', name: 'orders' }), undefined);
});

test('every kind refuses an unknown field with its path: Application, ApplicationMapping, Namespace, ConfigMap, Broker, Function', async () => {
  const cases: [path: string, object: Record<string, unknown>, field: string][] = [
    [
      '/apis/applicationconnector.kyma-project.io/v1alpha1/applications',
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'crm' },
        spec: { descripton: 'x' },
      },
      'spec.descripton',
    ],
    [
      '/apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/default/applicationmappings',
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'crm' },
        spec: { services: [{ id: 'a', nmae: 'b' }] },
      },
      'spec.services[0].nmae',
    ],
    [
      '/api/v1/namespaces',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n1', lables: {} } },
      'metadata.lables',
    ],
    [
      '/api/v1/namespaces/default/configmaps',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dta: {} },
      'dta',
    ],
    [
      '/apis/eventing.knative.dev/v1/namespaces/default/brokers',
      {
        apiVersion: 'eventing.knative.dev/v1',
        kind: 'Broker',
        metadata: { name: 'b' },
        spec: { delivery: { retyr: 1 } },
      },
      'spec.delivery.retyr',
    ],
    [
      '/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions',
      {
        apiVersion: 'serverless.kyma-project.io/v1alpha2',
        kind: 'Function',
        metadata: { name: 'f' },
        spec: { runtime: 'nodejs20', source: { inline: { source: 'x', sourcee: 'y' } } },
      },
      'spec.source.inline.sourcee',
    ],
  ];
  for (const [path, object, field] of cases) {
    const answer = await send('POST', path, object);
    assert.equal(answer.status, 422, `${field}: ${JSON.stringify(answer.body)}`);
    const cause = answer.body.details.causes.find((c) => (c as { field: string }).field === field);
    assert.match((cause as { message: string } | undefined)?.message ?? '', /^unknown field/, field);
  }
});

test('fieldValidation=Warn stores the object without the unknown fields and names each in a Warning header', async () => {
  const answer = await post(
    { ...trigger({ filter: { atributes: { type: 'x' } }, colour: 'red' }), metadata: { name: 'warned' } },
    '?fieldValidation=Warn',
  );
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  assert.deepEqual(answer.warnings, [
    '299 - "unknown field \\"spec.filter.atributes\\""',
    '299 - "unknown field \\"spec.colour\\""',
  ]);
  const stored = await api.store.get({ kind: 'Trigger', namespace: 'default', name: 'warned' });
  assert.deepEqual(stored?.spec?.filter, {});
  assert.equal(stored?.spec?.colour, undefined);
});

test('fieldValidation=Ignore stores the object without the unknown fields, silently; PUT and PATCH honour it too', async () => {
  const created = await post(
    { ...trigger({ subscribr: {} }), metadata: { name: 'ignored' } },
    '?fieldValidation=Ignore',
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.warnings, []);
  assert.equal(created.body.spec?.subscribr, undefined);

  const item = `${TRIGGERS}/ignored`;
  const strictPut = await send('PUT', item, { ...trigger({ extra: 1 }), metadata: { name: 'ignored' } });
  assert.equal(strictPut.status, 422);
  const warnedPut = await send(
    'PUT',
    item,
    { ...trigger({ extra: 1 }), metadata: { name: 'ignored' } },
    '?fieldValidation=Warn',
  );
  assert.equal(warnedPut.status, 200, JSON.stringify(warnedPut.body));
  assert.deepEqual(warnedPut.warnings, ['299 - "unknown field \\"spec.extra\\""']);
  const patch = { spec: { delivery: { retyr: 2 } } };
  const strictPatch = await send('PATCH', item, patch, '', 'application/merge-patch+json');
  assert.equal(strictPatch.status, 422);
  const ignoredPatch = await send(
    'PATCH',
    item,
    patch,
    '?fieldValidation=Ignore',
    'application/merge-patch+json',
  );
  assert.equal(ignoredPatch.status, 200, JSON.stringify(ignoredPatch.body));
  assert.deepEqual(ignoredPatch.body.spec?.delivery, {});
});

test('an unsupported field is refused whatever fieldValidation says; an invalid fieldValidation is a 400', async () => {
  for (const mode of ['Warn', 'Ignore']) {
    const answer = await post(
      trigger({ brokerRef: { name: 'b', namespace: 'other' } }),
      `?fieldValidation=${mode}`,
    );
    assert.equal(answer.status, 422, mode);
  }
  const invalid = await post(trigger({}), '?fieldValidation=strict');
  assert.equal(invalid.status, 400);
  assert.match(invalid.body.message, /fieldValidation must be Strict, Warn, Ignore or left out/);
});

test('cemesh apply --validate=warn prints the warnings to stderr and stores the object without the fields', async () => {
  const file = join(dir, 'warned.yaml');
  await writeFile(
    file,
    [
      'apiVersion: eventing.knative.dev/v1',
      'kind: Trigger',
      'metadata: {name: applied-warned}',
      'spec:',
      '  filter: {atributes: {type: order.created}}',
      '  subscriber: {uri: "http://sink.example/"}',
    ].join('\n'),
  );
  const env = { CEMESH_SERVER: api.url, CEMESH_TOKEN: api.token };
  const result = await runCli(['apply', '-f', file, '--validate=warn'], { env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /applied-warned created/);
  assert.equal(result.stderr.trim(), 'Warning: unknown field "spec.filter.atributes"');
  const bad = await runCli(['apply', '-f', file, '--validate=sometimes'], { env });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /use strict, warn or ignore/);
});
