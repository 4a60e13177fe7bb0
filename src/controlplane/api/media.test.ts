import { test } from 'node:test';
import assert from 'node:assert/strict';
import { includeObjectOf, negotiate } from './media.js';

const TABLE_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const KUBECTL_GET = `${TABLE_V1},application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`;

const cases: [string, string | undefined, unknown][] = [
  ['no Accept', undefined, { as: 'object' }],
  ['plain JSON', 'application/json', { as: 'object' }],
  ['NDJSON (the CLI watches)', 'application/x-ndjson', { as: 'object' }],
  ['kubectl get', KUBECTL_GET, { as: 'Table', version: 'v1' }],
  [
    'a v1beta1 Table first',
    'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
    { as: 'Table', version: 'v1beta1' },
  ],
  [
    'spaces and parameter order',
    ' application/json ; g=meta.k8s.io ; v=v1 ; as=Table',
    { as: 'Table', version: 'v1' },
  ],
  [
    'an unserved transformation, then JSON',
    'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json',
    { as: 'object' },
  ],
  [
    'a Table of another group, then JSON',
    'application/json;as=Table;v=v1;g=example.com,application/json',
    { as: 'object' },
  ],
  ['JSON before a Table: the client prefers JSON', `application/json,${TABLE_V1}`, { as: 'object' }],
  [
    'a Table in protobuf, then a JSON Table',
    `application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,${TABLE_V1}`,
    { as: 'Table', version: 'v1' },
  ],
];

for (const [name, accept, expected] of cases) {
  test(`negotiate: ${name}`, () => assert.deepEqual(negotiate(accept), expected));
}

test('negotiate: only transformations cemesh lacks is a 406', () => {
  assert.throws(
    () => negotiate('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io'),
    (error: { code?: string; message: string }) =>
      error.code === 'MESH_NOT_ACCEPTABLE' && /as=Table/.test(error.message),
  );
});

test('includeObject: Metadata by default, the three values, anything else a 400', () => {
  assert.equal(includeObjectOf(new URLSearchParams('')), 'Metadata');
  for (const value of ['None', 'Metadata', 'Object'] as const)
    assert.equal(includeObjectOf(new URLSearchParams({ includeObject: value })), value);
  assert.throws(
    () => includeObjectOf(new URLSearchParams({ includeObject: 'all' })),
    /includeObject must be/,
  );
});
