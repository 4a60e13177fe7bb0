import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '../../core/resources/object.js';
import { APPLY_CHUNK, applyList, chunkEnd, type ApplyItemOutcome } from './apply-list.js';
import type { ApplyOutcome } from './apply-many.js';
import { ClientError, failure } from './errors.js';

/** The `[start, end)` chunks chunkEnd makes of items of the given sizes, one after another. */
function chunksOf(sizes: readonly number[], maxItems: number, maxBytes: number): [number, number][] {
  const chunks: [number, number][] = [];
  for (let start = 0, end = 0; start < sizes.length; start = end) {
    end = chunkEnd(start, sizes.length, (index) => sizes[index] ?? 0, maxItems, maxBytes);
    chunks.push([start, end]);
  }
  return chunks;
}

test('chunkEnd: consecutive chunks bounded by items and bytes; an oversized item goes alone', () => {
  const cases: [number[], number, number, [number, number][]][] = [
    [[], 3, 100, []],
    [
      [1, 1, 1, 1, 1],
      2,
      100,
      [
        [0, 2],
        [2, 4],
        [4, 5],
      ],
    ],
    [
      [40, 40, 40],
      10,
      100,
      [
        [0, 2],
        [2, 3],
      ],
    ],
    [
      [10, 500, 10],
      10,
      100,
      [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
    ],
    [[50, 50], 10, 100, [[0, 2]]],
  ];
  for (const [sizes, items, bytes, expected] of cases)
    assert.deepEqual(chunksOf(sizes, items, bytes), expected, JSON.stringify([sizes, items, bytes]));
});

test('chunkEnd asks for the sizes of its chunk and of the first item that does not fit, no more', () => {
  const asked: number[] = [];
  const end = chunkEnd(0, 1000, (index) => (asked.push(index), 1), 3, 100);
  assert.equal(end, 3);
  assert.deepEqual(asked, [0, 1, 2, 3]);
});

function trigger(name: string): Resource {
  return { apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name, namespace: 'default' } };
}

test('applyList: chunks in order, outcomes in manifest order, local and server errors in place', async () => {
  const objects = Array.from({ length: APPLY_CHUNK + 3 }, (_, i) => trigger(`t${i}`));
  objects[2] = { ...trigger('bad'), metadata: { name: '' } } as Resource;
  const sent: number[] = [];
  const warnings: string[] = [];
  const outcomes: ApplyOutcome[] = [];
  await applyList(
    objects,
    {
      check(object) {
        if (object.metadata.name === '')
          throw new ClientError(failure(422, 'Invalid', 'metadata.name: required'));
      },
      async send(items) {
        sent.push(items.length);
        return items.map((text): ApplyItemOutcome => {
          const { name } = (JSON.parse(text) as Resource).metadata;
          if (name === 't5') return { error: { ...failure(422, 'Invalid', 'bad t5'), code: 422 } };
          return name === 't1'
            ? { result: 'created', warnings: ['unknown field "x"'] }
            : { result: 'unchanged' };
        });
      },
      onWarning: (w) => warnings.push(w),
      applyEach: () => Promise.reject(new Error('not used')),
    },
    (outcome) => outcomes.push(outcome),
  );
  assert.deepEqual(sent, [APPLY_CHUNK - 1, 3], 'the object the client refused is not sent');
  assert.equal(outcomes.length, objects.length);
  assert.deepEqual(
    outcomes.map((o) => o.object),
    objects,
    'manifest order',
  );
  const describe = (o: ApplyOutcome): string => ('result' in o ? o.result : (o.error as ClientError).message);
  assert.deepEqual(outcomes.slice(0, 6).map(describe), [
    'unchanged',
    'created',
    'metadata.name: required',
    'unchanged',
    'unchanged',
    'bad t5',
  ]);
  assert.equal((outcomes[5] as { error: ClientError }).error.code, 422);
  assert.deepEqual(warnings, ['unknown field "x"']);
});

test('applyList: a server without the apply List (404) gets the per-object apply from that chunk on', async () => {
  const objects = [trigger('a'), trigger('b')];
  const each: string[] = [];
  const outcomes: ApplyOutcome[] = [];
  await applyList(
    objects,
    {
      check: () => undefined,
      send: () =>
        Promise.reject(
          new ClientError(failure(404, 'NotFound', 'the server does not serve resource "apply"')),
        ),
      async applyEach(rest, report) {
        for (const object of rest) {
          each.push(object.metadata.name);
          report({ object, result: 'created' });
        }
      },
    },
    (outcome) => outcomes.push(outcome),
  );
  assert.deepEqual(each, ['a', 'b']);
  assert.deepEqual(
    outcomes.map((o) => 'result' in o && o.result),
    ['created', 'created'],
  );
});

test('applyList: a request that fails otherwise is the error of each object it carried', async () => {
  const outcomes: ApplyOutcome[] = [];
  const refused = new ClientError(failure(0, 'Unreachable', 'cannot reach'));
  await applyList(
    [trigger('a'), trigger('b')],
    { check: () => undefined, send: () => Promise.reject(refused), applyEach: () => Promise.resolve() },
    (outcome) => outcomes.push(outcome),
  );
  assert.deepEqual(
    outcomes.map((o) => 'error' in o && o.error),
    [refused, refused],
  );
});
