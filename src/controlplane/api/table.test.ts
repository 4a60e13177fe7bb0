import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findKind } from '../../core/resources/index.js';
import type { Resource } from '../../core/resources/object.js';
import { cellOf, toTable } from './table.js';

const now = new Date('2026-01-01T01:00:00Z');
const broker = findKind('broker')!;
const configMap = findKind('configmap')!;

const ready: Resource = {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: {
    name: 'shop',
    namespace: 'default',
    creationTimestamp: '2026-01-01T00:00:00Z',
    resourceVersion: '7',
  },
  spec: {},
  status: {
    conditions: [{ type: 'Ready', status: 'True' }],
    address: { url: 'http://127.0.0.1:8080/default/shop' },
    persistence: { kind: 'memory', source: 'server default' },
  },
};
const fresh: Resource = {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'new', namespace: 'default', creationTimestamp: '2026-01-01T00:59:30Z' },
};

test("a broker Table: NAME, then the kind's printer columns with their priorities, typed cells", () => {
  const table = toTable(broker, [ready, fresh], {
    version: 'v1',
    includeObject: 'Metadata',
    withColumns: true,
    resourceVersion: '9',
    now,
  });
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '9' });
  assert.deepEqual(
    table.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Reason', 'string', '', 0],
      ['URL', 'string', '', 0],
      ['Storage', 'string', '', 0],
      ['Age', 'date', '', 0],
      ['Storage-Source', 'string', '', 1],
      ['Shards', 'integer', '', 1],
    ],
  );
  assert.deepEqual(
    table.rows.map((r) => r.cells),
    [
      ['shop', 'True', null, 'http://127.0.0.1:8080/default/shop', 'memory', '60m', 'server default', null],
      ['new', null, null, null, null, '30s', null, null],
    ],
  );
  assert.deepEqual(table.rows[0]?.object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: ready.metadata,
  });
});

test('includeObject Object and None, a v1beta1 Table, and no columns for later watch events', () => {
  const base = { now, withColumns: false } as const;
  const whole = toTable(broker, [ready], { ...base, version: 'v1beta1', includeObject: 'Object' });
  assert.equal(whole.apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(whole.columnDefinitions, []);
  assert.deepEqual(whole.rows[0]?.object, ready);
  assert.deepEqual(whole.metadata, {});
  const none = toTable(broker, [ready], { ...base, version: 'v1', includeObject: 'None' });
  assert.equal('object' in (none.rows[0] ?? {}), false);
});

test("a column's own format gives the cell (a ConfigMap's DATA counts its keys)", () => {
  const cm: Resource = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    data: { a: '1', b: '2' },
  };
  const table = toTable(configMap, [cm], { version: 'v1', includeObject: 'None', withColumns: true, now });
  assert.deepEqual(table.rows[0]?.cells, ['c', '2', null]);
});

const cells: [Parameters<typeof cellOf>[0], unknown, unknown][] = [
  ['string', 'x', 'x'],
  ['string', 3, '3'],
  ['string', { a: 1 }, '{"a":1}'],
  ['string', undefined, null],
  ['integer', 4.7, 4],
  ['integer', '4', null],
  ['number', 1.5, 1.5],
  ['boolean', false, false],
  ['boolean', 'true', null],
  ['date', '2026-01-01T00:00:00Z', '60m'],
  ['date', 'yesterday', '<invalid>'],
  ['date', null, null],
];

for (const [type, value, expected] of cells) {
  test(`cell of a ${type} column from ${JSON.stringify(value)}`, () => {
    assert.deepEqual(cellOf(type, value, now), expected);
  });
}
