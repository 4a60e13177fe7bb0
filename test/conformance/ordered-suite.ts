// Ordered delivery (docs/delivery.md, "Ordered delivery") over every backend: the one ordering layer
// (src/dataplane/delivery/ordered-queue.ts) in front of each backend's queue, driven by the real dispatcher,
// with a subscriber that fails at random. Per partition key, the events attempted, repeats of a retried
// event aside, must be the events accepted, in the order accepted; every event ends delivered or
// dead-lettered.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../src/core/cloudevents/model.js';
import { Dispatcher } from '../../src/dataplane/delivery/dispatcher.js';
import { OrderedQueue } from '../../src/dataplane/delivery/ordered-queue.js';
import type { Backend, BrokerRef, BrokerStore, Lease } from '../../src/store/contracts.js';
import type { BackendFactory } from './store-suite.js';
import { sleep, withReopenable, withTempDir } from './store-support.js';

const ref: BrokerRef = { namespace: 'conformance', name: 'ordered' };

/** A small seeded generator (mulberry32), so a failing run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function keyed(index: number, key: string | undefined): CloudEvent {
  const attributes: Record<string, string> = {
    specversion: '1.0',
    id: String(index),
    source: '/ordered',
    type: 'com.example.ordered',
  };
  if (key !== undefined) attributes['partitionkey'] = key;
  return { attributes };
}

/** Appends `count` events over `keys` keys, picked at random, in batches; returns each key's accepted ids. */
async function appendKeyed(
  broker: BrokerStore,
  count: number,
  keys: number,
  rnd: () => number,
): Promise<Map<string, number[]>> {
  const accepted = new Map<string, number[]>();
  for (let start = 0; start < count; start += 100) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 100); i++) {
      const key = `k${Math.floor(rnd() * keys)}`;
      accepted.set(key, [...(accepted.get(key) ?? []), i]);
      batch.push({ event: keyed(i, key), queues: ['q'] });
    }
    await broker.append(batch);
  }
  return accepted;
}

/** A subscriber that fails at random: retried up to `attempts` times, then dead-lettered. */
class FlakySubscriber {
  /** Per key, the id of every attempt, in the order attempted. */
  readonly attempted = new Map<string, number[]>();
  readonly settled = new Map<number, 'delivered' | 'dead-lettered'>();
  inflight = 0;
  maxInflight = 0;

  constructor(
    private readonly rnd: () => number,
    private readonly failRate: number,
    private readonly attempts: number,
  ) {}

  readonly handle = async (lease: Lease): Promise<void> => {
    const key = String(lease.event.attributes['partitionkey']);
    const id = Number(lease.event.attributes['id']);
    const log = this.attempted.get(key) ?? [];
    log.push(id);
    this.attempted.set(key, log);
    this.inflight++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inflight--;
    if (this.rnd() < this.failRate) {
      if (lease.attempt < this.attempts) return lease.nak(Math.floor(this.rnd() * 3));
      this.settled.set(id, 'dead-lettered');
      return lease.term();
    }
    this.settled.set(id, 'delivered');
    return lease.ack();
  };

  async until(count: number, budgetMs: number): Promise<void> {
    const end = Date.now() + budgetMs;
    while (this.settled.size < count && Date.now() < end) await sleep(20);
    assert.equal(this.settled.size, count, 'every event settled (delivered or dead-lettered)');
  }

  /** Asserts that, per key, the attempts (a retried event's repeats aside) are the accepted events, in order. */
  assertOrder(accepted: Map<string, number[]>): void {
    for (const [key, ids] of accepted) {
      const log = this.attempted.get(key) ?? [];
      const firsts = log.filter((id, i) => i === 0 || log[i - 1] !== id);
      assert.deepEqual(firsts, ids, `key ${key}: attempted in accepted order`);
    }
  }
}

/** The ordering layer and the dispatcher over the broker's queue; `errors` collects what they report. */
function start(
  broker: BrokerStore,
  subscriber: FlakySubscriber,
  errors: unknown[] = [],
  handle: (lease: Lease) => Promise<void> = subscriber.handle,
) {
  const onError = (error: unknown): void => void errors.push(error);
  const ordered = new OrderedQueue({ queue: broker.queue('q'), window: () => 1_000, onError });
  const dispatcher = new Dispatcher({
    queue: ordered,
    handle,
    maxInflight: () => 50,
    leaseMs: () => 30_000,
    onError,
  });
  dispatcher.start();
  return { ordered, dispatcher, errors };
}

export interface OrderedFactory extends BackendFactory {
  /** True when several processes may open the same store at once (jetstream): each is one replica. */
  shared?: boolean;
}

export function orderedConformance(name: string, factory: OrderedFactory): void {
  const withBackend = (fn: (backend: Backend, reopen: () => Promise<Backend>) => Promise<void>) =>
    withReopenable((dir) => factory.open(dir), fn);

  describe(`ordered delivery: ${name} backend`, () => {
    test('10,000 events over 100 keys, subscriber failing at random: per key in accepted order, none lost', () =>
      withBackend(async (backend) => {
        const broker = await backend.broker(ref);
        const rnd = random(21);
        const accepted = await appendKeyed(broker, 10_000, 100, rnd);
        const subscriber = new FlakySubscriber(rnd, 0.2, 3);
        const { ordered, dispatcher, errors } = start(broker, subscriber);
        try {
          await subscriber.until(10_000, 120_000);
        } finally {
          await dispatcher.stop(1_000);
          await ordered.close();
        }
        assert.deepEqual(errors, []);
        subscriber.assertOrder(accepted);
        const deadLettered = [...subscriber.settled.values()].filter((o) => o === 'dead-lettered').length;
        assert.ok(deadLettered > 0, 'some events were dead-lettered, and their keys moved on');
        assert.ok(subscriber.maxInflight > 1, 'different keys were delivered in parallel');
      }));

    test('events without a partition key are delivered, each on its own', () =>
      withBackend(async (backend) => {
        const broker = await backend.broker(ref);
        await broker.append(
          Array.from({ length: 20 }, (_, i) => ({ event: keyed(i, undefined), queues: ['q'] })),
        );
        const subscriber = new FlakySubscriber(random(7), 0.3, 5);
        const { ordered, dispatcher } = start(broker, subscriber);
        try {
          await subscriber.until(20, 30_000);
        } finally {
          await dispatcher.stop(1_000);
          await ordered.close();
        }
      }));

    if (!factory.durable) return;

    test('durable: a restart mid-stream keeps each key in accepted order and loses nothing', () =>
      withBackend(async (backend, reopen) => {
        const rnd = random(5);
        const accepted = await appendKeyed(await backend.broker(ref), 2_000, 20, rnd);
        const subscriber = new FlakySubscriber(rnd, 0.2, 3);
        // The first process's errors after its crash are its own (its store is closed under it).
        const first = start(await backend.broker(ref), subscriber);
        while (subscriber.settled.size < 700) await sleep(5);
        // A crash as the store sees it: the process stops without handing its leases back.
        await first.dispatcher.stop(0);
        const second = start(await (await reopen()).broker(ref), subscriber);
        try {
          await subscriber.until(2_000, 120_000);
        } finally {
          await second.dispatcher.stop(1_000);
          await second.ordered.close();
        }
        assert.deepEqual(second.errors, []);
        subscriber.assertOrder(accepted);
      }));

    if (!factory.shared) return;

    test('shared: two replicas, the one delivering is killed mid-stream: the other takes over in order', () =>
      withTempDir(async (dir) => {
        const replicaA = await factory.open(dir);
        const replicaB = await factory.open(dir);
        try {
          const rnd = random(9);
          const accepted = await appendKeyed(await replicaA.broker(ref), 2_000, 20, rnd);
          const subscriber = new FlakySubscriber(rnd, 0.2, 3);
          const attemptsBy = { a: 0, b: 0 };
          const counting = (replica: 'a' | 'b') => (lease: Lease) => {
            attemptsBy[replica]++;
            return subscriber.handle(lease);
          };
          const a = start(await replicaA.broker(ref), subscriber, [], counting('a'));
          const b = start(await replicaB.broker(ref), subscriber, [], counting('b'));
          while (subscriber.settled.size < 700) await sleep(5);
          // Kill whichever holds the queue: its process stops, nothing is handed back.
          const holderIsA = attemptsBy.a > 0;
          assert.ok(holderIsA !== attemptsBy.b > 0, 'one replica delivers at a time');
          const [killed, survivor] = holderIsA ? [a, b] : [b, a];
          await killed.dispatcher.stop(0);
          await (holderIsA ? replicaA : replicaB).close();
          try {
            await subscriber.until(2_000, 120_000);
          } finally {
            await survivor.dispatcher.stop(1_000);
            await survivor.ordered.close();
          }
          assert.ok((holderIsA ? attemptsBy.b : attemptsBy.a) > 0, 'the survivor took over');
          subscriber.assertOrder(accepted);
        } finally {
          await replicaA.close();
          await replicaB.close();
        }
      }));
  });
}
