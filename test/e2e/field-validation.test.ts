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

async function post(
  body: unknown,
): Promise<{ status: number; body: { message: string; details: { causes: unknown[] } } }> {
  const response = await request(`${api.url}/apis/eventing.knative.dev/v1/namespaces/default/triggers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, body: (await response.body.json()) as never };
}

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
