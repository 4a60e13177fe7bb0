import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callTimeoutMs, nodeArguments, replicaEnvironment, restartDelayMs } from './launch.js';

const fn = {
  namespace: 'shop',
  name: 'orders',
  runtime: 'nodejs20',
  source: '',
  dependencies: undefined,
  env: { GREETING: 'hi', FUNC_TIMEOUT: '5' },
  replicas: 1,
  memoryMb: 512,
};

test('nodeArguments: reads only the runtime, source, dependencies and temp folders, writes only the temp folder', () => {
  const args = nodeArguments(
    {
      runtimeDir: '/rt',
      sourceDir: '/data/functions/sources/x',
      dependenciesDir: '/data/functions/dependencies/h',
      tmpDir: '/data/functions/scratch/orders-x1',
    },
    512,
  );
  assert.deepEqual(
    args.filter((a) => a.startsWith('--allow')),
    [
      '--allow-fs-read=/rt/',
      '--allow-fs-read=/data/functions/sources/x/',
      '--allow-fs-read=/data/functions/dependencies/h/',
      '--allow-fs-read=/data/functions/scratch/orders-x1/',
      '--allow-fs-write=/data/functions/scratch/orders-x1/',
    ],
  );
  assert.ok(args.includes('--experimental-permission'));
  assert.ok(!args.some((a) => a.includes('child-process') || a.includes('worker')));
  assert.ok(args.includes('--max-old-space-size=384'));
});

test('replicaEnvironment: Kyma variables and TMPDIR, then the spec env; nothing of cemesh', () => {
  assert.deepEqual(replicaEnvironment(fn, '/tmp/fn', 'http://127.0.0.1:8080/shop/default'), {
    FUNC_NAME: 'orders',
    FUNC_RUNTIME: 'nodejs20',
    SERVICE_NAMESPACE: 'shop',
    PUBLISHER_PROXY_ADDRESS: 'http://127.0.0.1:8080/shop/default',
    TMPDIR: '/tmp/fn',
    GREETING: 'hi',
    FUNC_TIMEOUT: '5',
  });
});

test('callTimeoutMs: FUNC_TIMEOUT seconds, Kyma default 180 s', () => {
  assert.equal(callTimeoutMs({ FUNC_TIMEOUT: '5' }), 5000);
  assert.equal(callTimeoutMs({}), 180_000);
  assert.equal(callTimeoutMs({ FUNC_TIMEOUT: 'soon' }), 180_000);
});

test('restartDelayMs: 1 s doubling to 30 s', () => {
  assert.deepEqual([1, 2, 3, 5, 6, 10].map(restartDelayMs), [1000, 2000, 4000, 16_000, 30_000, 30_000]);
});
