import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTailItem } from './tail-format.js';

const now = new Date('2024-05-01T12:00:01.234Z');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

test('an event line names its type, id, source and trace id', () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { id: 'e1', type: 'order.created', source: '/shop', traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
      `12:00:01.234 ACCEPTED      type=order.created id=e1 source=/shop trace=${TRACE}`,
    ],
    [{ id: 'e2', type: 't', source: '/s' }, '12:00:01.234 ACCEPTED      type=t id=e2 source=/s trace=-'],
    [
      { id: 'e3', type: 't', source: '/s', traceparent: 'garbage' },
      '12:00:01.234 ACCEPTED      type=t id=e3 source=/s trace=-',
    ],
  ];
  for (const [item, line] of cases) assert.equal(formatTailItem(item, now), line);
});

test('an outcome line names the trigger, attempt, result and trace id', () => {
  const base = { kind: 'DeliveryOutcome', id: 'e1', traceId: TRACE, trigger: 'shipping' };
  assert.equal(
    formatTailItem(
      { ...base, outcome: 'retrying', attempt: 1, target: 'subscriber', result: 'HTTP 503' },
      now,
    ),
    `12:00:01.234 RETRYING      trigger=shipping id=e1 attempt=1 HTTP 503 trace=${TRACE}`,
  );
  assert.equal(
    formatTailItem(
      { ...base, outcome: 'delivered', attempt: 1, target: 'dead-letter', result: 'HTTP 200', traceId: null },
      now,
    ),
    '12:00:01.234 DELIVERED     trigger=shipping (dead-letter sink) id=e1 attempt=1 HTTP 200 trace=-',
  );
});
