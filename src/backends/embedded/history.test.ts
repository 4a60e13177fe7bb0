// The embedded delivery history: written with the events, kept across a restart, read as the in-memory
// history reads, and pruned with the archive's retention.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { AcceptedEntry, AttemptInput, BrokerHistory } from '../../store/history.js';
import type { Backend } from '../../store/contracts.js';
import { openEmbedded, type EmbeddedOptions } from './index.js';

const ref = { namespace: 'ns', name: 'default' };

function event(id: string, source = '/s'): CloudEvent {
  return { attributes: { specversion: '1.0', id, source, type: 'order.created' } };
}

function entry(id: string, triggers: string[], source = '/s'): AcceptedEntry {
  return { source, id, type: 'order.created', acceptedAt: '2026-12-06T05:00:00.000Z', triggers };
}

function attempt(n: number, status: number): AttemptInput {
  return {
    at: Date.UTC(2026, 11, 6, 5, 0, n),
    attempt: n,
    target: 'subscriber',
    uri: 'http://sub/',
    status,
    durationMs: 2,
  };
}

async function withBackend(
  dir: string,
  options: Partial<EmbeddedOptions>,
  fn: (backend: Backend, history: BrokerHistory) => Promise<void>,
): Promise<void> {
  const { backend, resources } = await openEmbedded({ dataDir: dir, ...options });
  await resources.close();
  try {
    const store = await backend.broker(ref);
    await fn(backend, store.history!);
  } finally {
    await backend.close();
  }
}

/** Lets the group commit that holds not-awaited history writes run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

test('history written with the events and their attempts is read back after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cemesh-history-'));
  try {
    await withBackend(dir, {}, async (backend, history) => {
      const store = await backend.broker(ref);
      await store.append([
        { event: event('a'), queues: ['q1'], history: entry('a', ['t1', 't2']) },
        { event: event('f'), queues: [], history: entry('f', []) },
        { event: event('dlq-copy'), queues: ['q1/dls'] },
      ]);
      const key = { source: '/s', id: 'a' };
      for (let n = 1; n <= 25; n++)
        history.attempt(key, 't1', attempt(n, n === 25 ? 200 : 503), n === 25 ? 'delivered' : undefined);
      history.outcome(key, 't2', 'undeliverable');
      history.attempt(key, 'not-routed', attempt(1, 200), 'delivered');
      await settle();
    });
    await withBackend(dir, {}, async (_backend, history) => {
      const all = await history.query({});
      assert.deepEqual(
        all.map((r) => [r.id, r.filtered]),
        [
          ['f', true],
          ['a', false],
        ],
      );
      const [a] = await history.query({ id: 'a' });
      assert.equal(a!.namespace, 'ns');
      assert.equal(a!.broker, 'default');
      assert.equal(a!.acceptedAt, '2026-12-06T05:00:00.000Z');
      assert.deepEqual(Object.keys(a!.triggers), ['t1', 't2']);
      assert.equal(a!.triggers['t1']!.outcome, 'delivered');
      assert.equal(a!.triggers['t2']!.outcome, 'undeliverable');
      // The first ten and the latest ten, as the in-memory history keeps them.
      assert.deepEqual(
        a!.triggers['t1']!.attempts.map((x) => x.attempt),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
      );
      assert.deepEqual(a!.triggers['t1']!.attempts[0], {
        at: '2026-12-06T05:00:01.000Z',
        attempt: 1,
        target: 'subscriber',
        uri: 'http://sub/',
        status: 503,
        durationMs: 2,
      });
      assert.deepEqual(
        (await history.query({ outcome: 'failed' })).map((r) => r.id),
        ['a'],
      );
      assert.deepEqual(
        (await history.query({ trigger: 't2', outcome: 'delivered' })).map((r) => r.id),
        [],
      );
      assert.equal((await history.retained()).length, 2);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a re-sent event starts a new record; the same id from another source is another event', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cemesh-history-'));
  try {
    await withBackend(dir, {}, async (backend, history) => {
      const store = await backend.broker(ref);
      await store.append([{ event: event('x'), queues: ['q'], history: entry('x', ['t']) }]);
      history.attempt({ source: '/s', id: 'x' }, 't', attempt(1, 200), 'delivered');
      await settle();
      await store.append([
        { event: event('x', '/other'), queues: ['q'], history: entry('x', ['t'], '/other') },
        { event: event('x'), queues: ['q'], history: entry('x', ['t']) },
      ]);
      const records = await history.query({ id: 'x' });
      assert.deepEqual(
        records.map((r) => [r.source, r.triggers['t']!.outcome]),
        [
          ['/s', 'pending'],
          ['/other', 'pending'],
        ],
      );
      assert.deepEqual(
        (await history.query({ source: '/other' })).map((r) => r.id),
        ['x'],
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compaction prunes the history with the events retention', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cemesh-history-'));
  try {
    await withBackend(dir, { retentionMs: 300, compactEveryMs: 20 }, async (backend, history) => {
      const store = await backend.broker(ref);
      await store.append([{ event: event('old'), queues: [], history: entry('old', []) }]);
      assert.equal((await history.query({})).length, 1);
      const deadline = Date.now() + 10_000;
      while ((await history.query({})).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(await history.query({}), []);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
