import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryHistory, type AttemptInput } from './history.js';

function accept(
  history: DeliveryHistory,
  id: string,
  more: { source?: string; broker?: string; triggers?: string[] } = {},
): void {
  history.accepted({
    namespace: 'ns',
    broker: more.broker ?? 'b',
    source: more.source ?? 'src',
    id,
    type: 'order.created',
    acceptedAt: '2026-12-04T09:00:00.000Z',
    triggers: more.triggers ?? ['t'],
  });
}

function attempt(n: number, status = 500): AttemptInput {
  return {
    at: Date.UTC(2026, 11, 4, 9, 0, n),
    attempt: n,
    target: 'subscriber',
    uri: 'http://sub/',
    status,
    durationMs: 1.23456,
  };
}

const ids = (
  history: DeliveryHistory,
  query: Partial<Parameters<DeliveryHistory['query']>[0]> = {},
): string[] => history.query({ namespace: 'ns', ...query }).map((r) => `${r.broker}/${r.source}/${r.id}`);

test('query answers newest first, within the limit and the filters', () => {
  const history = new DeliveryHistory();
  accept(history, 'a');
  accept(history, 'b', { broker: 'other' });
  accept(history, 'c', { source: 'elsewhere', triggers: ['t', 'u'] });
  assert.deepEqual(ids(history), ['b/elsewhere/c', 'other/src/b', 'b/src/a']);
  assert.deepEqual(ids(history, { limit: 2 }), ['b/elsewhere/c', 'other/src/b']);
  assert.deepEqual(ids(history, { broker: 'b' }), ['b/elsewhere/c', 'b/src/a']);
  assert.deepEqual(ids(history, { source: 'src' }), ['other/src/b', 'b/src/a']);
  assert.deepEqual(ids(history, { id: 'a' }), ['b/src/a']);
  assert.deepEqual(ids(history, { trigger: 'u' }), ['b/elsewhere/c']);
  assert.deepEqual(ids(history, { namespace: 'none' }), []);
});

test('the oldest events are forgotten once maxEvents are held', () => {
  const history = new DeliveryHistory(3);
  for (const id of ['1', '2', '3', '4', '5']) accept(history, id);
  assert.deepEqual(ids(history), ['b/src/5', 'b/src/4', 'b/src/3']);
  assert.equal(history.delivery({ namespace: 'ns', broker: 'b', source: 'src', id: '2' }, 't'), undefined);
  assert.ok(history.delivery({ namespace: 'ns', broker: 'b', source: 'src', id: '3' }, 't'));
});

test('a re-sent event replaces its record; the same id from another source or broker is another event', () => {
  const history = new DeliveryHistory(10);
  accept(history, 'x');
  accept(history, 'x', { source: 'other' });
  accept(history, 'x', { broker: 'b2' });
  const first = history.delivery({ namespace: 'ns', broker: 'b', source: 'src', id: 'x' }, 't');
  first!.outcome = 'delivered';
  accept(history, 'y');
  accept(history, 'x');
  assert.deepEqual(ids(history), ['b/src/x', 'b/src/y', 'b2/src/x', 'b/other/x']);
  const again = history.delivery({ namespace: 'ns', broker: 'b', source: 'src', id: 'x' }, 't');
  assert.notEqual(again, first);
  assert.equal(again!.outcome, 'pending');
  assert.ok(history.delivery({ namespace: 'ns', broker: 'b', source: 'other', id: 'x' }, 't'));
  assert.ok(history.delivery({ namespace: 'ns', broker: 'b2', source: 'src', id: 'x' }, 't'));
});

test('eviction of one event keeps the others that share its id', () => {
  const history = new DeliveryHistory(2);
  accept(history, 'x');
  accept(history, 'x', { source: 'other' });
  accept(history, 'z');
  assert.deepEqual(ids(history), ['b/src/z', 'b/other/x']);
  assert.equal(history.delivery({ namespace: 'ns', broker: 'b', source: 'src', id: 'x' }, 't'), undefined);
  assert.ok(history.delivery({ namespace: 'ns', broker: 'b', source: 'other', id: 'x' }, 't'));
});

test('an event no trigger matched is recorded as filtered', () => {
  const history = new DeliveryHistory();
  accept(history, 'f', { triggers: [] });
  const [record] = history.query({ namespace: 'ns' });
  assert.equal(record!.filtered, true);
  assert.deepEqual(record!.triggers, {});
  assert.equal(history.delivery({ namespace: 'ns', broker: 'b', source: 'src', id: 'f' }, 't'), undefined);
});

test('attempts and outcome per trigger, times as RFC 3339, the first and latest of many attempts kept', () => {
  const history = new DeliveryHistory();
  accept(history, 'e', { triggers: ['t', 'u'] });
  const key = { namespace: 'ns', broker: 'b', source: 'src', id: 'e' };
  const t = history.delivery(key, 't')!;
  for (let n = 1; n <= 25; n++) t.attempt(attempt(n, n === 25 ? 202 : 500));
  t.outcome = 'delivered';
  history.delivery(key, 'u')!.outcome = 'undeliverable';
  const [record] = history.query({ namespace: 'ns' });
  assert.equal(record!.filtered, false);
  assert.equal(record!.triggers['u']!.outcome, 'undeliverable');
  assert.deepEqual(record!.triggers['u']!.attempts, []);
  const attempts = record!.triggers['t']!.attempts;
  assert.equal(record!.triggers['t']!.outcome, 'delivered');
  assert.equal(attempts.length, 20);
  assert.deepEqual(
    attempts.map((a) => a.attempt),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
  );
  assert.deepEqual(attempts[0], {
    at: '2026-12-04T09:00:01.000Z',
    attempt: 1,
    target: 'subscriber',
    uri: 'http://sub/',
    status: 500,
    durationMs: 1.235,
  });
  assert.equal(attempts[19]!.status, 202);
});
