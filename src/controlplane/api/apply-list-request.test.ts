import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMeshError } from '../../core/errors.js';
import { applyListItems, MAX_APPLY_ITEMS, segmentsOf } from './apply-list-request.js';

const trigger = (name: string, namespace?: string): unknown => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Trigger',
  metadata: namespace === undefined ? { name } : { name, namespace },
});
const ns = (name: string): unknown => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

test('segmentsOf: one segment, split before a repeated object and after a Namespace', () => {
  const cases: [string, unknown[], [number, number][]][] = [
    ['empty', [], []],
    ['distinct objects', [trigger('a'), trigger('b'), trigger('c')], [[0, 3]]],
    [
      'a repeated name',
      [trigger('a'), trigger('b'), trigger('a'), trigger('c')],
      [
        [0, 2],
        [2, 4],
      ],
    ],
    ['same name, other namespace', [trigger('a', 'x'), trigger('a', 'y')], [[0, 2]]],
    [
      'kind in another case is the same kind',
      [trigger('a'), { ...(trigger('a') as object), kind: 'trigger' }],
      [
        [0, 1],
        [1, 2],
      ],
    ],
    [
      'a Namespace ends its segment',
      [trigger('a'), ns('x'), trigger('b', 'x')],
      [
        [0, 2],
        [2, 3],
      ],
    ],
    ['a Namespace last', [trigger('a'), ns('x')], [[0, 2]]],
    ['items without identity never split', [null, 7, { kind: 'Trigger' }, trigger('a')], [[0, 4]]],
  ];
  for (const [name, items, expected] of cases) assert.deepEqual(segmentsOf(items), expected, name);
});

test('applyListItems: a List of at most MAX_APPLY_ITEMS items; anything else names the field', () => {
  assert.deepEqual(applyListItems({ kind: 'List', items: [1, 2] }), [1, 2]);
  assert.deepEqual(applyListItems({ apiVersion: 'v1', kind: 'List', metadata: {}, items: [] }), []);
  const refused: [Record<string, unknown>, string, string][] = [
    [{ items: [] }, 'MESH_RESOURCE_INVALID', 'kind: must be "List"'],
    [{ kind: 'List' }, 'MESH_RESOURCE_INVALID', 'items: required'],
    [{ kind: 'List', items: {} }, 'MESH_RESOURCE_INVALID', 'items: required'],
    [{ kind: 'List', items: [], extra: 1 }, 'MESH_RESOURCE_INVALID', 'extra: unknown field'],
    [{ apiVersion: 'v2', kind: 'List', items: [] }, 'MESH_RESOURCE_INVALID', 'apiVersion: must be "v1"'],
    [{ kind: 'List', metadata: [], items: [] }, 'MESH_RESOURCE_INVALID', 'metadata: must be an object'],
    [
      { kind: 'List', items: new Array(MAX_APPLY_ITEMS + 1).fill({}) },
      'MESH_BODY_TOO_LARGE',
      `holds ${MAX_APPLY_ITEMS + 1} objects; one request applies at most ${MAX_APPLY_ITEMS}`,
    ],
  ];
  for (const [body, code, message] of refused) {
    assert.throws(
      () => applyListItems(body),
      (error) => isMeshError(error) && error.code === code && error.message.includes(message),
      JSON.stringify(body).slice(0, 80),
    );
  }
});
