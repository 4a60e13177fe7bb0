import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterInfo } from '@nats-io/jetstream';
import { isMeshError } from '../../core/errors.js';
import { hasLeader, waitForLeader } from './leader.js';

test('hasLeader: a single server (no cluster) or a named leader serves; an empty or missing leader does not', () => {
  const cases: [ClusterInfo | undefined, boolean][] = [
    [undefined, true],
    [{ name: 'c', leader: 'n2' }, true],
    [{ name: 'c' }, false],
    [{ name: 'c', leader: '' }, false],
  ];
  for (const [cluster, expected] of cases)
    assert.equal(hasLeader(cluster), expected, JSON.stringify(cluster));
});

test('waitForLeader reads until the group names a leader', async () => {
  const states: ClusterInfo[] = [{ name: 'c' }, { name: 'c', leader: '' }, { name: 'c', leader: 'n2' }];
  let reads = 0;
  await waitForLeader('stream s', async () => ({ cluster: states[reads++] }), 5_000);
  assert.equal(reads, 3);
});

test('a group that elects no leader in time is MESH_BACKEND_UNAVAILABLE', async () => {
  await assert.rejects(
    waitForLeader('consumer s/c', async () => ({ cluster: { name: 'c' } }), 120),
    (error: unknown) => isMeshError(error) && error.code === 'MESH_BACKEND_UNAVAILABLE',
  );
});
