import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMeshError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Backend } from '../store/contracts.js';
import { createMemoryBackend } from '../store/memory/index.js';
import { Mesh } from './mesh.js';

/** The code `accepting` refuses with, or 'accepted'. */
function acceptance(mesh: Mesh): string {
  try {
    mesh.accepting('default', 'orders');
    return 'accepted';
  } catch (error) {
    assert.ok(isMeshError(error), String(error));
    return `${error.code}: ${error.message}`;
  }
}

test('a broker whose store is still being opened is refused as not Ready (503), never as missing (404)', async () => {
  const memory = createMemoryBackend();
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  // A backend that takes its time to open a broker, as JetStream does creating streams on a cluster.
  const slow: Backend = Object.assign(Object.create(memory) as Backend, {
    broker: async (...args: Parameters<Backend['broker']>) => {
      await opened;
      return memory.broker(...args);
    },
  });
  const mesh = new Mesh({
    backend: () => Promise.resolve(slow),
    sender: { send: () => Promise.reject(new Error('no delivery here')), close: () => Promise.resolve() },
    logger: silentLogger,
  });
  try {
    assert.match(acceptance(mesh), /^MESH_BROKER_NOT_FOUND/);
    const ensured = mesh.ensureBroker({ namespace: 'default', name: 'orders', backend: 'memory', shards: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(acceptance(mesh), /^MESH_BROKER_NOT_READY: .*BackendNotReady: its store is being opened/);
    open();
    await ensured;
    // Ready once the reconciler says so, as before.
    mesh.setBrokerReadiness('default', 'orders', undefined);
    assert.equal(acceptance(mesh), 'accepted');
    // Opening it again (a later reconcile) leaves a Ready broker Ready.
    await mesh.ensureBroker({ namespace: 'default', name: 'orders', backend: 'memory', shards: 1 });
    assert.equal(acceptance(mesh), 'accepted');
  } finally {
    await mesh.close();
    await memory.close();
  }
});
