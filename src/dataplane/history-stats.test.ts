import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryHistory, type AttemptInput } from './history.js';
import { brokerStats } from './history-stats.js';

const NOW = Date.UTC(2026, 11, 4, 9, 1, 0);

function accepted(history: DeliveryHistory, id: string, secondsAgo: number, triggers = ['a', 'b']): void {
  history.accepted({
    namespace: 'ns',
    broker: 'b',
    source: id.startsWith('app') ? 'app' : '/src',
    id,
    type: 't',
    acceptedAt: new Date(NOW - secondsAgo * 1000).toISOString(),
    triggers,
  });
}

function attempt(
  history: DeliveryHistory,
  id: string,
  trigger: string,
  result: { status?: number; error?: string; afterMs: number },
  outcome?: 'delivered' | 'dead-lettered' | 'undeliverable',
): void {
  const source = id.startsWith('app') ? 'app' : '/src';
  const delivery = history.delivery({ namespace: 'ns', broker: 'b', source, id }, trigger);
  assert.ok(delivery, `${id} routed to ${trigger}`);
  const record = history.query({ namespace: 'ns', id, limit: 1 })[0]!;
  const input: AttemptInput = {
    at: Date.parse(record.acceptedAt) + result.afterMs - 2,
    attempt: 1,
    target: 'subscriber',
    uri: 'http://sub/',
    durationMs: 2,
    ...(result.status === undefined ? {} : { status: result.status }),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
  delivery.attempt(input);
  if (outcome) delivery.outcome = outcome;
}

test('rates, success and latency cover the window; backlog and the last error cover all retained events', () => {
  const history = new DeliveryHistory();
  accepted(history, 'old', 120); // outside a 60 s window
  attempt(history, 'old', 'a', { error: 'connect ECONNREFUSED', afterMs: 5 });
  accepted(history, 'app-1', 30);
  attempt(history, 'app-1', 'a', { status: 200, afterMs: 10 }, 'delivered');
  attempt(history, 'app-1', 'b', { status: 503, afterMs: 4 }, 'dead-lettered');
  accepted(history, 'e2', 20);
  attempt(history, 'e2', 'a', { status: 200, afterMs: 30 }, 'delivered');
  accepted(history, 'e3', 10, ['a']);

  const stats = brokerStats({ namespace: 'ns', broker: 'b' }, history.retained('ns', 'b'), {
    nowMs: NOW,
    windowSeconds: 60,
  });
  assert.equal(stats.accepted, 3);
  assert.equal(stats.acceptedPerSecond, 0.05);
  assert.deepEqual(stats.sources, { app: 1, '/src': 2 });
  assert.equal(stats.backlog, 4, 'per delivery: old to a and b, e2 to b, e3 to a');
  assert.equal(stats.failed, 1);
  assert.deepEqual(stats.triggers['a'], {
    matched: 3,
    delivered: 2,
    failed: 0,
    pending: 2,
    deliveredPerSecond: 0.033,
    successRate: 1,
    latencyMs: { p50: 10, p95: 30 },
    lastError: {
      at: new Date(NOW - 120_000 + 3).toISOString(),
      source: '/src',
      id: 'old',
      result: 'connect ECONNREFUSED',
    },
  });
  assert.equal(stats.triggers['b']?.successRate, 0);
  assert.equal(stats.triggers['b']?.lastError?.result, 'HTTP 503');
  assert.equal(stats.triggers['b']?.latencyMs, null);
});

test('a broker with nothing retained has empty statistics', () => {
  const stats = brokerStats({ namespace: 'ns', broker: 'b' }, new DeliveryHistory().retained('ns', 'b'), {
    nowMs: NOW,
    windowSeconds: 60,
  });
  assert.deepEqual(
    { accepted: stats.accepted, backlog: stats.backlog, failed: stats.failed, triggers: stats.triggers },
    { accepted: 0, backlog: 0, failed: 0, triggers: {} },
  );
});
