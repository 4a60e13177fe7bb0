import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAttempt } from './index.js';
import type { AttemptResult, Classification } from './index.js';

const response = (status: number): AttemptResult => ({ kind: 'response', status });

// The table of ARCHITECTURE 3, from the Knative data-plane spec, "Event Acknowledgement and Delivery Retry".
const rows: [result: AttemptResult, expected: Classification][] = [
  [response(200), 'success'],
  [response(201), 'success'],
  [response(202), 'success'],
  [response(204), 'success'],
  [response(299), 'success'],
  [response(100), 'fail'],
  [response(199), 'fail'],
  [response(300), 'fail'],
  [response(301), 'fail'],
  [response(304), 'fail'],
  [response(307), 'fail'],
  [response(399), 'fail'],
  [response(400), 'fail'],
  [response(401), 'fail'],
  [response(403), 'fail'],
  [response(405), 'fail'],
  [response(410), 'fail'],
  [response(413), 'fail'],
  [response(422), 'fail'],
  [response(499), 'fail'],
  [response(404), 'retry'],
  [response(408), 'retry'],
  [response(409), 'retry'],
  [response(429), 'retry'],
  [response(500), 'retry'],
  [response(502), 'retry'],
  [response(503), 'retry'],
  [response(504), 'retry'],
  [response(599), 'retry'],
  [{ kind: 'network-error', message: 'ECONNREFUSED' }, 'retry'],
  [{ kind: 'timeout' }, 'retry'],
];

for (const [result, expected] of rows) {
  const label = result.kind === 'response' ? `status ${result.status}` : result.kind;
  test(`classifyAttempt: ${label} -> ${expected}`, () => {
    assert.equal(classifyAttempt(result), expected);
  });
}

test('A response code not in this table SHOULD be treated as a retriable error', () => {
  for (const status of [0, 99, 600, 999])
    assert.equal(classifyAttempt(response(status)), 'retry', String(status));
});

test('a Retry-After header does not change the classification', () => {
  assert.equal(classifyAttempt({ kind: 'response', status: 429, retryAfter: '5' }), 'retry');
  assert.equal(classifyAttempt({ kind: 'response', status: 400, retryAfter: '5' }), 'fail');
});
