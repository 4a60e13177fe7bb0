// The store conformance suite (STYLE item 2): every backend runs these same cases. The guarantees come from
// src/store/contracts.ts and ARCHITECTURE section 3 (at-least-once per event and matching trigger).
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../src/core/cloudevents/model.js';
import type { Backend, BrokerRef, BrokerStore } from '../../src/store/contracts.js';
import {
  event,
  idsOf,
  leaseAll,
  leaseWithin,
  rejectsWithCode,
  sleep,
  withReopenable,
} from './store-support.js';

export { resourceStoreConformance } from './store-resource-suite.js';

export interface BackendFactory {
  open(dir: string): Promise<Backend>;
  /** True when the backend keeps events, deliveries and resources across close and reopen. */
  durable: boolean;
}

const ref: BrokerRef = { namespace: 'conformance', name: 'default' };

/** Opens a backend in a fresh directory, runs `fn`, then closes it (whatever `fn` left open). */
function withBackend(
  factory: BackendFactory,
  fn: (store: Backend, reopen: () => Promise<Backend>) => Promise<void>,
): Promise<void> {
  return withReopenable((dir) => factory.open(dir), fn);
}

/** Runs `fn` on a backend whose queues offer `whenWork`; skips the test, saying so, on one whose loops wait in lease. */
function withWhenWork(
  t: TestContext,
  factory: BackendFactory,
  fn: (broker: BrokerStore, backend: Backend) => Promise<void>,
): Promise<void> {
  return withBackend(factory, async (backend) => {
    const broker = await backend.broker(ref);
    if (broker.queue('q').whenWork === undefined) {
      t.skip('this backend has no whenWork: its loops wait in lease');
      return;
    }
    await fn(broker, backend);
  });
}

export function backendConformance(name: string, factory: BackendFactory): void {
  describe(`store conformance: ${name} backend`, () => {
    test('append then lease returns the events of a queue in append order, attempt 1', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        const before = Date.now();
        await broker.append([{ event: event('a'), queues: ['q'] }]);
        await broker.append([
          { event: event('b', 'com.example.test', '{"x":1}'), queues: ['q'] },
          { event: event('c'), queues: ['q'] },
        ]);
        const leases = await leaseAll(broker.queue('q'), 3);
        assert.deepEqual(idsOf(leases), ['a', 'b', 'c']);
        assert.deepEqual(
          leases.map((l) => l.attempt),
          [1, 1, 1],
        );
        const seqs = leases.map((l) => l.seq);
        assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!, `seqs increase: ${seqs.join(',')}`);
        for (const l of leases) assert.ok(l.appendedAt >= before - 1000 && l.appendedAt <= Date.now() + 1000);
        assert.equal(new TextDecoder().decode(leases[1]!.event.data), '{"x":1}');
        assert.deepEqual(leases[0]!.event.attributes, event('a').attributes);
      }));

    test('queues are independent: each queue gets only its own deliveries, settled separately', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append([
          { event: event('both'), queues: ['q1', 'q2'] },
          { event: event('only-q2'), queues: ['q2'] },
          { event: event('none'), queues: [] },
        ]);
        const q1 = await leaseAll(broker.queue('q1'), 1);
        assert.deepEqual(idsOf(q1), ['both']);
        await q1[0]!.ack();
        assert.deepEqual(idsOf(await leaseWithin(broker.queue('q1'), 40)), []);
        assert.deepEqual(idsOf(await leaseAll(broker.queue('q2'), 2)), ['both', 'only-q2']);
      }));

    test('brokers are independent: the same queue id in two brokers holds different deliveries', () =>
      withBackend(factory, async (backend) => {
        const one = await backend.broker(ref);
        const two = await backend.broker({ namespace: 'conformance', name: 'other' });
        await one.append([{ event: event('in-one'), queues: ['q'] }]);
        await two.append([{ event: event('in-two'), queues: ['q'] }]);
        assert.deepEqual(idsOf(await leaseAll(one.queue('q'), 1)), ['in-one']);
        assert.deepEqual(idsOf(await leaseAll(two.queue('q'), 1)), ['in-two']);
        assert.deepEqual(idsOf(await leaseWithin(one.queue('q'), 30)), []);
      }));

    test('lease returns at most max deliveries, oldest first', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append(['1', '2', '3', '4', '5'].map((id) => ({ event: event(id), queues: ['q'] })));
        assert.deepEqual(idsOf(await leaseWithin(broker.queue('q'), 1000, 2)), ['1', '2']);
        assert.deepEqual(idsOf(await leaseWithin(broker.queue('q'), 1000, 2)), ['3', '4']);
        assert.deepEqual(idsOf(await leaseWithin(broker.queue('q'), 1000, 2)), ['5']);
      }));

    test('lease waits until work arrives, without being asked again', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        const waiting = leaseWithin(broker.queue('q'), 3_000, 10);
        await sleep(30);
        await broker.append([
          { event: event('late-1'), queues: ['q'] },
          { event: event('late-2'), queues: ['q'] },
        ]);
        const leases = await waiting;
        assert.ok(leases.length >= 1, 'the waiting lease resolves with the new work');
        assert.equal(idsOf(leases)[0], 'late-1');
      }));

    test('a waiting lease resolves with [] when its signal aborts, and at once when already aborted', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        const started = Date.now();
        assert.deepEqual(await leaseWithin(broker.queue('q'), 30), []);
        assert.ok(Date.now() - started < 2_000);
        await broker.append([{ event: event('x'), queues: ['q'] }]);
        const signal = AbortSignal.abort();
        assert.deepEqual(await broker.queue('q').lease({ max: 1, leaseMs: 1000, signal }), []);
        assert.deepEqual(
          idsOf(await leaseWithin(broker.queue('q'), 1000)),
          ['x'],
          'the aborted lease took nothing',
        );
      }));

    test('ack removes the delivery: it is not handed out again, even after the lease time', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append([{ event: event('a'), queues: ['q'] }]);
        const [lease] = await broker
          .queue('q')
          .lease({ max: 1, leaseMs: 30, signal: new AbortController().signal });
        await lease!.ack();
        assert.deepEqual(await leaseWithin(broker.queue('q'), 80), []);
      }));

    test('nak(delay) hides the delivery for the delay, then hands it out with attempt + 1', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append([{ event: event('a'), queues: ['q'] }]);
        const [first] = await leaseAll(broker.queue('q'), 1);
        const nakedAt = Date.now();
        await first!.nak(120);
        assert.deepEqual(await leaseWithin(broker.queue('q'), 40), [], 'hidden during the delay');
        const [second] = await leaseAll(broker.queue('q'), 1);
        assert.ok(Date.now() - nakedAt >= 100, 'not before the delay');
        assert.equal(second!.attempt, 2);
        assert.equal(second!.seq, first!.seq);
        await second!.nak(0);
        const [third] = await leaseAll(broker.queue('q'), 1);
        assert.equal(third!.attempt, 3, 'nak(0) hands it out again at once');
      }));

    test('a lease not settled within leaseMs expires: the delivery comes back with attempt + 1', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append([{ event: event('a'), queues: ['q'] }]);
        const signal = new AbortController().signal;
        const [first] = await broker.queue('q').lease({ max: 1, leaseMs: 40, signal });
        assert.equal(first!.attempt, 1);
        const [again] = await leaseAll(broker.queue('q'), 1);
        assert.equal(idsOf([again!])[0], 'a');
        assert.equal(again!.attempt, 2);
      }));

    test('term removes the delivery for good', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        const ids = ['a', 'b', 'c'];
        await broker.append(ids.map((id) => ({ event: event(id), queues: ['q'] })));
        const leases = await leaseAll(broker.queue('q'), 3);
        await Promise.all(leases.map((l) => l.term()));
        assert.deepEqual(await leaseWithin(broker.queue('q'), 60), []);
      }));

    test('dropQueue forgets the queue’s deliveries, leaves other queues alone, and the id can be reused', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append([{ event: event('a'), queues: ['gone', 'kept'] }]);
        await broker.append([{ event: event('b'), queues: ['gone'] }]);
        const [leased] = await leaseWithin(broker.queue('gone'), 1000, 1, 40);
        await broker.dropQueue('gone');
        await leased!.nak(0);
        assert.deepEqual(
          await leaseWithin(broker.queue('gone'), 80),
          [],
          'neither pending nor leased ones return',
        );
        assert.deepEqual(idsOf(await leaseAll(broker.queue('kept'), 1)), ['a']);
        await broker.append([{ event: event('c'), queues: ['gone'] }]);
        assert.deepEqual(idsOf(await leaseAll(broker.queue('gone'), 1)), ['c']);
      }));

    test('replay adds a delivery of every retained event since the time that matches, oldest first', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append([{ event: event('old', 'x'), queues: [] }]);
        await sleep(15);
        const since = new Date();
        await broker.append([
          { event: event('x1', 'x'), queues: [] },
          { event: event('y1', 'y'), queues: ['other'] },
        ]);
        await broker.append([{ event: event('x2', 'x'), queues: [] }]);
        const added = await broker.replay('replayed', since, (e) => e.attributes['type'] === 'x');
        assert.equal(added, 2);
        const leases = await leaseAll(broker.queue('replayed'), 2);
        assert.deepEqual(idsOf(leases), ['x1', 'x2']);
        assert.equal(leases[0]!.attempt, 1);
        assert.deepEqual(await leaseWithin(broker.queue('replayed'), 30), []);
      }));

    test('an event replayed after its delivery is done comes back with the same attributes and data', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        const original: CloudEvent = {
          attributes: { ...event('p1').attributes, knativebrokerttl: 255, flagged: true, subject: 'grüße' },
          data: Uint8Array.from([0, 1, 2, 255]),
        };
        const since = new Date(Date.now() - 1000);
        await broker.append([{ event: original, queues: ['first'] }]);
        const [first] = await leaseAll(broker.queue('first'), 1);
        await first!.ack();
        assert.equal(await broker.replay('again', since, () => true), 1);
        const [again] = await leaseAll(broker.queue('again'), 1);
        assert.deepEqual(again!.event.attributes, original.attributes);
        assert.deepEqual([...(again!.event.data ?? [])], [0, 1, 2, 255]);
        await again!.ack();
      }));

    test('concurrent appends are each stored exactly once', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        const n = 200;
        await Promise.all(
          Array.from({ length: n }, (_, i) =>
            broker.append([
              { event: event(`p${i}-0`), queues: ['q'] },
              { event: event(`p${i}-1`), queues: ['q'] },
            ]),
          ),
        );
        const leases = await leaseAll(broker.queue('q'), 2 * n + 1, 100);
        const ids = idsOf(leases);
        assert.equal(ids.length, 2 * n);
        assert.equal(new Set(ids).size, 2 * n, 'no duplicates');
        assert.equal(new Set(leases.map((l) => l.seq)).size, 2 * n, 'distinct seqs');
        for (let i = 0; i < n; i++) {
          assert.ok(ids.indexOf(`p${i}-0`) < ids.indexOf(`p${i}-1`), 'a batch keeps its order');
        }
      }));

    test('append is all or nothing: a batch with a malformed item stores none of its items', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        const malformed = { event: event('bad'), queues: 'q' } as unknown as { event: never; queues: never };
        await assert.rejects(
          broker.append([
            { event: event('first'), queues: ['q'] },
            malformed,
            { event: event('last'), queues: ['q'] },
          ]),
        );
        await broker.append([{ event: event('after'), queues: ['q'] }]);
        assert.deepEqual(idsOf(await leaseAll(broker.queue('q'), 2, 100)), ['after']);
        assert.equal(
          await broker.replay('r', new Date(0), () => true),
          1,
          'the rejected events are not retained',
        );
      }));

    test('exportPending lists pending deliveries with their retry state; importPending restores them elsewhere', (t) =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        if (broker.exportPending === undefined || broker.importPending === undefined) {
          t.skip('this backend cannot move pending deliveries (docs/decisions/broker-migration.md)');
          return;
        }
        await broker.append([
          { event: event('a'), queues: ['q', 'r'] },
          { event: event('b'), queues: ['q'] },
          { event: event('c'), queues: ['q'] },
          { event: event('kept'), queues: [] },
        ]);
        const [a, b] = await leaseAll(broker.queue('q'), 2);
        await a!.ack();
        await b!.nak(60_000);
        const signal = new AbortController().signal;
        await broker.queue('r').lease({ max: 1, leaseMs: 60_000, signal });
        const pending = await broker.exportPending();
        assert.deepEqual(
          pending.map((p) => [
            String(p.event.attributes['id']),
            p.deliveries.map((d) => [d.queue, d.attempt, d.dueAt > 0]),
          ]),
          [
            ['a', [['r', 1, false]]],
            ['b', [['q', 1, true]]],
            ['c', [['q', 0, false]]],
          ],
          'oldest first; acked and delivery-less events left out; a leased delivery comes out due now',
        );
        const other = await backend.broker({ namespace: ref.namespace, name: 'moved' });
        await other.importPending!(pending);
        const [c] = await leaseAll(other.queue('q'), 1);
        assert.equal(idsOf([c!])[0], 'c', 'the nak-delayed b keeps its due time');
        assert.equal(c!.attempt, 1);
        const [ra] = await leaseAll(other.queue('r'), 1);
        assert.equal(idsOf([ra!])[0], 'a');
        assert.equal(ra!.attempt, 2, 'the attempt count moved: the next hand-out is the second');
        assert.equal(ra!.appendedAt, pending[0]!.appendedAt, 'the append time moved too');
      }));

    test('dropBroker deletes the broker’s events and queues', () =>
      withBackend(factory, async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append([{ event: event('a'), queues: ['q'] }]);
        await backend.dropBroker(ref);
        const again = await backend.broker(ref);
        assert.deepEqual(await leaseWithin(again.queue('q'), 40), []);
        assert.equal(await again.replay('r', new Date(0), () => true), 0);
        await again.append([{ event: event('b'), queues: ['q'] }]);
        assert.deepEqual(idsOf(await leaseAll(again.queue('q'), 1)), ['b']);
      }));

    test('whenWork on a queue that never held a delivery calls back once, after the first append', (t) =>
      withWhenWork(t, factory, async (broker) => {
        const calls: string[] = [];
        broker.queue('idle').whenWork!(() => calls.push('idle'));
        const cancel = broker.queue('cancelled').whenWork!(() => calls.push('cancelled'));
        cancel();
        assert.deepEqual(broker.queue('idle').backlog?.(), { depth: 0, oldestAppendedAt: undefined });
        await sleep(10);
        await broker.append([{ event: event('other'), queues: ['elsewhere'] }]);
        await sleep(10);
        assert.deepEqual(calls, [], 'no delivery of its own yet');
        await broker.append([{ event: event('a'), queues: ['idle', 'cancelled'] }]);
        await broker.append([{ event: event('b'), queues: ['idle'] }]);
        await sleep(10);
        assert.deepEqual(calls, ['idle'], 'once, and never for a cancelled call');
        assert.equal(broker.queue('idle').backlog?.()?.depth, 2);
        assert.deepEqual(idsOf(await leaseAll(broker.queue('idle'), 2)), ['a', 'b']);
      }));

    test('whenWork waiting on an idle queue survives dropQueue, and close drops it uncalled', (t) =>
      withWhenWork(t, factory, async (broker, backend) => {
        const calls: string[] = [];
        broker.queue('dropped').whenWork!(() => calls.push('dropped'));
        broker.queue('closed').whenWork!(() => calls.push('closed'));
        await broker.dropQueue('dropped');
        await broker.append([{ event: event('a'), queues: ['dropped'] }]);
        await sleep(10);
        assert.deepEqual(calls, ['dropped']);
        await backend.close();
        await sleep(10);
        assert.deepEqual(calls, ['dropped'], 'a closed backend calls nothing back');
      }));

    test('close resolves waiting leases with [] and makes the backend not ready', () =>
      withBackend(factory, async (backend) => {
        assert.equal(backend.isReady(), true);
        const broker = await backend.broker(ref);
        const waiting = broker
          .queue('q')
          .lease({ max: 1, leaseMs: 1000, signal: new AbortController().signal });
        await sleep(10);
        await backend.close();
        assert.deepEqual(await waiting, []);
        assert.equal(backend.isReady(), false);
        await rejectsWithCode(
          broker.append([{ event: event('x'), queues: ['q'] }]),
          'MESH_BACKEND_UNAVAILABLE',
        );
      }));

    if (!factory.durable) return;

    test('durable: close and reopen keeps undelivered deliveries, and leased ones come back', () =>
      withBackend(factory, async (backend, reopen) => {
        const broker = await backend.broker(ref);
        await broker.append(
          ['a', 'b', 'c'].map((id) => ({ event: event(id, 't', `data-${id}`), queues: ['q'] })),
        );
        await broker.append([{ event: event('d'), queues: ['other'] }]);
        const leases = await leaseWithin(broker.queue('q'), 1000, 2);
        assert.deepEqual(idsOf(leases), ['a', 'b']);
        await leases[0]!.ack();
        const reopened = await (await reopen()).broker(ref);
        const after = await leaseAll(reopened.queue('q'), 2);
        assert.deepEqual(idsOf(after), ['b', 'c']);
        assert.equal(new TextDecoder().decode(after[0]!.event.data), 'data-b');
        assert.ok(after[0]!.seq === leases[1]!.seq, 'the same event, with its seq');
        assert.deepEqual(idsOf(await leaseAll(reopened.queue('other'), 1)), ['d']);
        assert.deepEqual(await leaseWithin(reopened.queue('q'), 30), []);
      }));

    test('durable: retained events survive a reopen for replay, and new seqs follow the old ones', () =>
      withBackend(factory, async (backend, reopen) => {
        const broker = await backend.broker(ref);
        await broker.append([{ event: event('before'), queues: ['q'] }]);
        const [old] = await leaseAll(broker.queue('q'), 1);
        await old!.ack();
        const reopened = await (await reopen()).broker(ref);
        await reopened.append([{ event: event('after'), queues: ['q'] }]);
        const [fresh] = await leaseAll(reopened.queue('q'), 1);
        assert.ok(fresh!.seq > old!.seq);
        assert.equal(await reopened.replay('r', new Date(0), () => true), 2);
        assert.deepEqual(idsOf(await leaseAll(reopened.queue('r'), 2)), ['before', 'after']);
      }));
  });
}
