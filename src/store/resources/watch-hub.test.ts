import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMeshError } from '../../core/errors.js';
import type { WatchEvent } from '../contracts.js';
import { WatchHub, type Change } from './watch-hub.js';

function change(rv: number): Change {
  return {
    rv,
    type: 'ADDED',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `n${rv}`, resourceVersion: `${rv}` } },
  };
}

async function first(it: AsyncIterable<WatchEvent>): Promise<WatchEvent | undefined> {
  for await (const e of it) return e;
  return undefined;
}

const cases: { since: string; code?: string; firstRv?: string }[] = [
  { since: '2', code: 'MESH_RESOURCE_CONFLICT' },
  { since: '3', firstRv: '4' },
  { since: '5', firstRv: '6' },
  { since: 'abc', code: 'MESH_REQUEST_INVALID' },
  { since: '-1', code: 'MESH_REQUEST_INVALID' },
];

for (const c of cases) {
  test(`watch since ${c.since} with changes 1..6 and 3 retained: ${c.code ?? `first event ${c.firstRv}`}`, async () => {
    const hub = new WatchHub({ capacity: 3, changes: [1, 2, 3, 4, 5, 6].map(change), compactedThrough: 0 });
    const it = hub.watch(c.since, 6, AbortSignal.timeout(1000));
    if (c.code !== undefined) {
      await assert.rejects(first(it), (e) => isMeshError(e) && e.code === c.code);
    } else {
      assert.equal((await first(it))?.object.metadata.resourceVersion, c.firstRv);
    }
    hub.close();
  });
}

test('a watcher that falls too far behind is ended with a too-old conflict, not buffered without end', async () => {
  const hub = new WatchHub({ capacity: 10, changes: [], compactedThrough: 0 });
  const it = hub.watch(undefined, 0, new AbortController().signal);
  for (let rv = 1; rv <= 10_002; rv++) hub.record(change(rv));
  await assert.rejects(
    (async () => {
      for await (const _ of it) void _;
    })(),
    (e) => isMeshError(e) && e.code === 'MESH_RESOURCE_CONFLICT',
  );
});

test('close ends every open watch', async () => {
  const hub = new WatchHub({ capacity: 10, changes: [], compactedThrough: 0 });
  const pending = first(hub.watch(undefined, 0, new AbortController().signal));
  hub.close();
  assert.equal(await pending, undefined);
});

test('watchers share the recorded object (the store records it frozen): no copy per watcher', async () => {
  const recorded = change(1);
  const hub = new WatchHub({ capacity: 10, changes: [recorded], compactedThrough: 0 });
  const a = await first(hub.watch('0', 1, AbortSignal.timeout(1000)));
  const b = await first(hub.watch('0', 1, AbortSignal.timeout(1000)));
  assert.equal(a?.object, recorded.object);
  assert.equal(b?.object, recorded.object);
});
