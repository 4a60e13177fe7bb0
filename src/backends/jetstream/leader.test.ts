import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterInfo } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { isMeshError } from '../../core/errors.js';
import { createdByAnother, hasLeader, waitForLeader } from './leader.js';

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

test('waitForLeader reads again after a read that got no answer in time', async () => {
  let reads = 0;
  await waitForLeader(
    'stream s',
    async () => {
      if (reads++ === 0) throw new errors.TimeoutError();
      return { cluster: { name: 'c', leader: 'n1' } };
    },
    5_000,
  );
  assert.equal(reads, 2);
});

test('a group that elects no leader in time is MESH_BACKEND_UNAVAILABLE', async () => {
  await assert.rejects(
    waitForLeader('consumer s/c', async () => ({ cluster: { name: 'c' } }), 120),
    (error: unknown) => isMeshError(error) && error.code === 'MESH_BACKEND_UNAVAILABLE',
  );
});

test('a create that timed out counts as done by another replica only when the stream or consumer exists', async () => {
  const found = async (): Promise<unknown> => ({});
  const missing = async (): Promise<unknown> => {
    throw new Error('stream not found');
  };
  let reads = 0;
  const counted = async (): Promise<unknown> => reads++;
  assert.equal(await createdByAnother(new errors.TimeoutError(), found), true);
  assert.equal(await createdByAnother(new errors.TimeoutError(), missing), false);
  assert.equal(await createdByAnother(new Error('insufficient resources'), counted), false);
  assert.equal(reads, 0, 'other errors are not looked into');
});
