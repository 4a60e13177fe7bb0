import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import { isMeshError } from '../../core/errors.js';
import { waitForStreamLeader } from './stream-leader.js';

/** A manager whose stream info reports each cluster state in turn (the last one from then on). */
function managerReporting(states: readonly (StreamInfo['cluster'] | 'none')[]): {
  jsm: JetStreamManager;
  calls: () => number;
} {
  let calls = 0;
  const info = async (): Promise<Partial<StreamInfo>> => {
    const state = states[Math.min(calls++, states.length - 1)];
    return state === 'none' ? {} : { cluster: state };
  };
  return { jsm: { streams: { info } } as unknown as JetStreamManager, calls: () => calls };
}

test('a stream on a single server (no cluster reported) needs no wait', async () => {
  const { jsm, calls } = managerReporting(['none']);
  await waitForStreamLeader(jsm, 's', 1_000);
  assert.equal(calls(), 1);
});

test('a replicated stream is waited for until its group names a leader', async () => {
  const { jsm, calls } = managerReporting([
    { name: 'c' },
    { name: 'c', leader: '' },
    { name: 'c', leader: 'n2' },
  ]);
  await waitForStreamLeader(jsm, 's', 5_000);
  assert.equal(calls(), 3);
});

test('a stream that elects no leader in time is MESH_BACKEND_UNAVAILABLE', async () => {
  const { jsm } = managerReporting([{ name: 'c' }]);
  await assert.rejects(waitForStreamLeader(jsm, 's', 120), (error: unknown) => {
    assert.ok(isMeshError(error));
    assert.equal(error.code, 'MESH_BACKEND_UNAVAILABLE');
    return true;
  });
});
