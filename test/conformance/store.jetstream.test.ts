// The jetstream backend and resource store against the store conformance suites, on a real nats-server
// (loopback, a port it picks, a temp store dir) started here and stopped at the end. Each test's temp dir
// becomes a prefix of its own, so tests share the server but not streams or buckets; reopening the same
// dir reopens the same prefix, which is what the durable cases check.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  corruptMessageChannel,
  openJetStream,
  type JetStreamOptions,
} from '../../src/backends/jetstream/index.js';
import { brokerNames } from '../../src/backends/jetstream/names.js';
import type { Resource } from '../../src/core/resources/object.js';
import type { Backend, ResourceKey, ResourceStore, WatchEvent } from '../../src/store/contracts.js';
import { natsServerBinary, startNatsServer, type NatsServer } from '../support/nats.js';
import { backendConformance, resourceStoreConformance } from './store-suite.js';
import { orderedConformance } from './ordered-suite.js';
import { event, idsOf, leaseAll, leaseWithin, rejectsWithCode, sleep } from './store-support.js';

const installed = natsServerBinary() !== undefined;
let server: NatsServer | undefined;

if (!installed) {
  test(
    'jetstream conformance',
    { skip: 'nats-server is not installed (apt-get install nats-server)' },
    () => {},
  );
} else {
  before(async () => {
    server = await startNatsServer();
  });
  after(() => server?.dispose());

  const options = (dir: string): JetStreamOptions => ({
    servers: [server!.url],
    prefix: `t${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`,
  });

  backendConformance('jetstream', {
    open: async (dir) => {
      const { backend, resources } = await openJetStream(options(dir));
      await resources.close();
      return backend;
    },
    durable: true,
  });

  orderedConformance('jetstream', {
    open: async (dir) => {
      // Short enough that a restart's takeover (claim expiry, then ack_wait) fits a test.
      const { backend, resources } = await openJetStream({
        ...options(dir),
        ackWaitMs: 5_000,
        claimTtlMs: 2_000,
      });
      await resources.close();
      return backend;
    },
    durable: true,
    shared: true,
  });

  resourceStoreConformance('jetstream', {
    open: async (dir) => {
      const { backend, resources } = await openJetStream(options(dir));
      await backend.close();
      return resources;
    },
    durable: true,
  });
}

// Guarantees the jetstream backend adds to the shared suites: scale-out across processes (ARCHITECTURE 5)
// and the ingress's 503/507 answers (ARCHITECTURE 2.2).
if (installed) {
  describe('jetstream backend: scale-out and failures', () => {
    const ref = { namespace: 'scale', name: 'default' };
    let prefixes = 0;
    const options = (extra: Partial<JetStreamOptions> = {}): JetStreamOptions => ({
      servers: [server!.url],
      prefix: `s${process.pid}-${++prefixes}`,
      ...extra,
    });

    test('two resource stores on two connections see each other’s changes (replicas share resources)', async () => {
      const shared = options();
      const one = await openJetStream(shared);
      const two = await openJetStream(shared);
      try {
        const controller = new AbortController();
        const seen = take(two.resources.watch({ signal: controller.signal }), 1);
        const created = await one.resources.create(brokerObject('b1'));
        const [event] = await seen;
        assert.equal(event?.type, 'ADDED');
        assert.equal(event?.object.metadata.resourceVersion, created.metadata.resourceVersion);
        await waitFor(async () => (await two.resources.get(keyOf('b1'))) !== undefined);
        const replaced = await two.resources.replace({ ...created, spec: { from: 'two' } });
        await rejectsWithCode(
          one.resources.replace({ ...created, spec: { from: 'one' } }),
          'MESH_RESOURCE_CONFLICT',
        );
        await waitFor(() =>
          Promise.resolve(one.resources.currentVersion() === replaced.metadata.resourceVersion),
        );
        assert.deepEqual((await one.resources.get(keyOf('b1')))?.spec, { from: 'two' });
        controller.abort();
      } finally {
        await closeAll(one, two);
      }
    });

    test('several processes on one queue share the work: each delivery goes to one of them', async () => {
      const shared = options();
      const one = await openJetStream(shared);
      const two = await openJetStream(shared);
      try {
        const ids = Array.from({ length: 60 }, (_, i) => `e${i}`);
        // Both processes have opened the queue (its consumer exists) before the events come.
        for (const { backend } of [one, two]) await leaseWithin((await backend.broker(ref)).queue('q'), 50);
        await (await one.backend.broker(ref)).append(ids.map((id) => ({ event: event(id), queues: ['q'] })));
        const drain = async (backend: Backend): Promise<string[]> => {
          const queue = (await backend.broker(ref)).queue('q');
          const got: string[] = [];
          for (;;) {
            const leases = await leaseWithin(queue, 300, 5);
            if (leases.length === 0) return got;
            got.push(...idsOf(leases));
            await sleep(5); // let the other process take its turn
            await Promise.all(leases.map((l) => l.ack()));
          }
        };
        const [a, b] = await Promise.all([drain(one.backend), drain(two.backend)]);
        assert.deepEqual([...a, ...b].sort(), [...ids].sort(), 'every delivery once, across both');
        assert.ok(a.length > 0 && b.length > 0, `both took work (${a.length} / ${b.length})`);
      } finally {
        await closeAll(one, two);
      }
    });

    test('a full stream answers MESH_BACKEND_FULL (507) and keeps what it had accepted', async () => {
      const opened = await openJetStream(options({ maxBytesPerStream: 4096 }));
      try {
        const broker = await opened.backend.broker(ref);
        const accepted: string[] = [];
        let error: unknown;
        for (let i = 0; i < 100 && error === undefined; i++) {
          const item = { event: event(`f${i}`, 't', 'x'.repeat(200)), queues: ['q'] };
          await broker.append([item]).then(
            () => accepted.push(`f${i}`),
            (e: unknown) => (error = e),
          );
        }
        await rejectsWithCode(Promise.reject(error), 'MESH_BACKEND_FULL');
        assert.ok(accepted.length > 0);
        assert.deepEqual(idsOf(await leaseAll(broker.queue('q'), accepted.length)), accepted);
      } finally {
        await closeAll(opened);
      }
    });

    test('an event over the server’s max_payload is MESH_BODY_TOO_LARGE and nothing of its batch is stored', async () => {
      const opened = await openJetStream(options());
      try {
        const broker = await opened.backend.broker(ref);
        const huge = { event: event('huge', 't', 'x'.repeat(1024 * 1024)), queues: ['q'] };
        await rejectsWithCode(
          broker.append([{ event: event('small'), queues: ['q'] }, huge]),
          'MESH_BODY_TOO_LARGE',
        );
        assert.equal(await broker.replay('r', new Date(0), () => true), 0);
      } finally {
        await closeAll(opened);
      }
    });

    test('a replayed delivery keeps the event’s original appendedAt', async () => {
      const opened = await openJetStream(options());
      try {
        const broker = await opened.backend.broker(ref);
        await broker.append([{ event: event('old'), queues: ['q'] }]);
        const [original] = await leaseAll(broker.queue('q'), 1);
        await original!.ack();
        await sleep(20);
        assert.equal(await broker.replay('q', new Date(0), () => true), 1);
        const [replayed] = await leaseAll(broker.queue('q'), 1);
        assert.equal(replayed!.appendedAt, original!.appendedAt);
        assert.equal(replayed!.attempt, 1);
      } finally {
        await closeAll(opened);
      }
    });

    test('a queue’s backlog is sampled from the server: pending count and the oldest unsettled event', async () => {
      const opened = await openJetStream(options());
      try {
        const broker = await opened.backend.broker(ref);
        const queue = broker.queue('q');
        await broker.append([{ event: event('b1'), queues: ['q'] }]);
        const [first] = await leaseAll(queue, 1);
        await first!.ack();
        await sleep(30);
        const secondAppendedAfter = Date.now();
        await broker.append([
          { event: event('b2'), queues: ['q'] },
          { event: event('b3'), queues: ['q'] },
        ]);
        assert.equal(queue.backlog?.(), undefined, 'no sample before the first read has been answered');
        let backlog = queue.backlog?.();
        for (let i = 0; i < 100 && backlog === undefined; i++) {
          await sleep(20);
          backlog = queue.backlog?.();
        }
        assert.equal(backlog?.depth, 2);
        assert.ok(
          (backlog?.oldestAppendedAt ?? 0) >= secondAppendedAfter,
          `the oldest is b2, not the settled b1 (${backlog?.oldestAppendedAt} >= ${secondAppendedAfter})`,
        );
      } finally {
        await closeAll(opened);
      }
    });

    test('no event a consumer still needs is removed by age; settled ones are purged after the retention', async () => {
      const compacting = options({ maxAgeMs: 300, compactEveryMs: 100 });
      const opened = await openJetStream(compacting);
      try {
        const broker = await opened.backend.broker(ref);
        const stream = brokerNames(compacting.prefix!, ref).stream;
        const [q, r] = [broker.queue('q'), broker.queue('r')];
        await leaseWithin(q, 20);
        await leaseWithin(r, 20);
        await broker.append([{ event: event('done-1'), queues: ['q', 'r'] }]);
        await broker.append([{ event: event('replay-only'), queues: [] }]);
        for (const lease of [...(await leaseAll(q, 1)), ...(await leaseAll(r, 1))]) await lease.ack();
        await broker.append([{ event: event('waiting'), queues: ['q'] }]);
        const [held] = await leaseAll(q, 1);
        assert.equal(held?.event.attributes['id'], 'waiting');
        await held!.nak(60_000); // a retry far away: undelivered, and older than the retention soon
        const nc = await connect({ servers: server!.url });
        const jsm = await jetstream(nc).jetstreamManager();
        try {
          // done-1 (seq 1) was settled by q: purged once the retention passed. How far past it the purge
          // goes depends on when the server moved q's ack floor; never past the message q still holds.
          await waitFor(async () => (await jsm.streams.info(stream)).state.first_seq > 1, 5_000);
          const info = await jsm.streams.info(stream);
          assert.equal(info.config.max_age, 0, 'no age limit on the stream');
          const left = await jsm.streams.getMessage(stream, { seq: info.state.last_seq });
          assert.match(new TextDecoder().decode(left!.data), /waiting/, 'the undelivered event is kept');
          await sleep(500);
          assert.equal((await jsm.streams.info(stream)).state.last_seq, info.state.last_seq);
          assert.ok(await jsm.streams.getMessage(stream, { seq: info.state.last_seq }), 'still kept later');
        } finally {
          await nc.close();
        }
      } finally {
        await opened.backend.close();
        await opened.resources.close();
      }
    });

    test('a message that is not a stored event is terminated and reported, never handed out', async () => {
      const shared = options();
      const opened = await openJetStream(shared);
      const nc = await connect({ servers: [...shared.servers] });
      const reported: unknown[] = [];
      const onReport = (message: unknown): void => void reported.push(message);
      corruptMessageChannel.subscribe(onReport);
      try {
        const broker = await opened.backend.broker(ref);
        const subject = brokerNames(shared.prefix!, ref).firstCopy('q');
        await jetstream(nc).publish(subject, 'not an event');
        await broker.append([{ event: event('good'), queues: ['q'] }]);
        assert.deepEqual(idsOf(await leaseAll(broker.queue('q'), 1)), ['good']);
        assert.deepEqual(await leaseWithin(broker.queue('q'), 100), []);
        assert.equal(reported.length, 1);
      } finally {
        corruptMessageChannel.unsubscribe(onReport);
        await nc.close();
        await closeAll(opened);
      }
    });

    test('a lease held by a process that died comes back after ack_wait, with attempt + 1', async () => {
      const shared = options({ ackWaitMs: 400 });
      const opened = await openJetStream(shared);
      try {
        const broker = await opened.backend.broker(ref);
        await broker.append([{ event: event('orphan'), queues: ['q'] }]);
        // Another process leases it for a minute, then dies without settling or closing anything.
        const child = await runChild(`
          const { openJetStream } = await import(${JSON.stringify(`${process.cwd()}/src/backends/jetstream/index.ts`)});
          const { backend } = await openJetStream(${JSON.stringify(shared)});
          const broker = await backend.broker(${JSON.stringify(ref)});
          const leases = await broker.queue('q').lease({ max: 1, leaseMs: 60000, signal: new AbortController().signal });
          console.log(leases.map((l) => l.event.attributes.id + '@' + l.attempt).join(','));
          process.kill(process.pid, 'SIGKILL');
        `);
        assert.equal(child.trim(), 'orphan@1');
        const [back] = await leaseAll(broker.queue('q'), 1, 3_000);
        assert.equal(back?.event.attributes['id'], 'orphan');
        assert.equal(back?.attempt, 2);
      } finally {
        await closeAll(opened);
      }
    });

    test('while NATS is down appends answer MESH_BACKEND_UNAVAILABLE (503); once it is back, work resumes', async () => {
      const own = await startNatsServer();
      const opened = await openJetStream({ servers: [own.url], prefix: 'down', timeoutMs: 1_000 });
      try {
        const broker = await opened.backend.broker(ref);
        await broker.append([{ event: event('before'), queues: ['q'] }]);
        assert.deepEqual(await leaseWithin(broker.queue('other'), 50), [], 'its consumer exists now');
        const waiting = leaseWithin(broker.queue('other'), 15_000, 1);
        await sleep(50);
        await own.stop();
        await waitFor(() => Promise.resolve(!opened.backend.isReady()));
        await rejectsWithCode(
          broker.append([{ event: event('lost'), queues: ['q'] }]),
          'MESH_BACKEND_UNAVAILABLE',
        );
        await own.start();
        await waitFor(() => Promise.resolve(opened.backend.isReady()), 10_000);
        await waitFor(() =>
          broker.append([{ event: event('after'), queues: ['q', 'other'] }]).then(
            () => true,
            () => false,
          ),
        );
        assert.deepEqual(idsOf(await waiting), ['after'], 'a lease waiting across the outage gets new work');
        assert.deepEqual(idsOf(await leaseAll(broker.queue('q'), 2)), ['before', 'after']);
        const created = await opened.resources.create(brokerObject('after-outage'));
        assert.equal(opened.resources.currentVersion(), created.metadata.resourceVersion, 'resources too');
        await own.stop();
        const closing = Date.now();
        await closeAll(opened);
        assert.ok(Date.now() - closing < 2_000, 'closing does not wait for a server that is gone');
      } finally {
        await closeAll(opened);
        await own.dispose();
      }
    });
  });
}

function brokerObject(name: string): Resource {
  return { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name, namespace: 'ns' } };
}

function keyOf(name: string): ResourceKey {
  return { kind: 'Broker', namespace: 'ns', name };
}

async function take(iterable: AsyncIterable<WatchEvent>, count: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for await (const e of iterable) {
    events.push(e);
    if (events.length === count) break;
  }
  return events;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** Runs an ES module in a child node process (with tsx) and resolves with its stdout once it exits. */
function runChild(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', () => resolve(out));
  });
}

async function closeAll(...opened: { backend: Backend; resources: ResourceStore }[]): Promise<void> {
  for (const { backend, resources } of opened) {
    await backend.close();
    await resources.close();
  }
}
