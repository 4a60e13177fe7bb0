import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThrottledLog } from './log-throttle.js';

test('a cause is logged once per interval, with the count of occurrences since its last line', () => {
  const lines: { object: object; message?: string }[] = [];
  const record = (object: object, message?: string): void => void lines.push({ object, message });
  let now = 0;
  const log = new ThrottledLog({ debug: record, info: record, warn: record, error: record }, 1000, () => now);
  for (let i = 0; i < 5; i++) log.warn('MESH_BACKEND_FULL', 'store full', 'ingress refused');
  log.warn('MESH_BACKEND_UNAVAILABLE', 'down', 'ingress refused');
  now = 999;
  log.warn('MESH_BACKEND_FULL', 'store full', 'ingress refused');
  now = 1000;
  log.warn('MESH_BACKEND_FULL', 'store full', 'ingress refused');
  assert.deepEqual(lines, [
    {
      object: { code: 'MESH_BACKEND_FULL', count: 1, intervalMs: 1000 },
      message: 'ingress refused: store full',
    },
    {
      object: { code: 'MESH_BACKEND_UNAVAILABLE', count: 1, intervalMs: 1000 },
      message: 'ingress refused: down',
    },
    // The five suppressed since the first line, plus this one.
    {
      object: { code: 'MESH_BACKEND_FULL', count: 6, intervalMs: 1000 },
      message: 'ingress refused: store full',
    },
  ]);
});
