import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summariseGcTrace } from '../../bench/gc-trace.js';

test('summariseGcTrace groups the pauses of a --trace-gc log by kind', () => {
  const log = [
    '[1:0x1]       38 ms: Scavenge 3.9 (4.0) -> 3.0 (5.0) MB, 1.50 / 0.00 ms  (average mu = 1.000) allocation failure; ',
    '[1:0x1]       45 ms: Scavenge 3.9 (5.0) -> 5.0 (5.2) MB, 0.50 / 0.00 ms  (average mu = 1.000) allocation failure; ',
    '[1:0x1]       46 ms: Scavenge 3.9 (5.0) -> 4.0 (5.2) MB, 3.00 / 0.00 ms  (average mu = 1.000) allocation failure; ',
    '[1:0x1]      900 ms: Mark-Compact (reduce) 60.1 (70.2) -> 40.0 (71.0) MB, 12.25 / 0.00 ms  (+ 1.0 ms in 3 steps)',
    'cemesh ready ingress=http://127.0.0.1:1',
  ].join('\n');
  assert.deepEqual(summariseGcTrace(log), [
    { kind: 'Scavenge', count: 3, totalMs: 5, p50Ms: 1.5, maxMs: 3, meanAfterMb: 4 },
    { kind: 'Mark-Compact', count: 1, totalMs: 12.25, p50Ms: 12.25, maxMs: 12.25, meanAfterMb: 40 },
  ]);
});
