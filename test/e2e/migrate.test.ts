// Moving an existing broker's storage is an explicit action (issue 14, item 2): `cemesh migrate` or a
// change of the broker's eventing.cemesh.dev/persistence annotation moves its pending events and their
// retry state to the new store and reports what moved; nothing is lost. Each case holds two kinds of
// pending work when it moves: a paused trigger's fresh deliveries, and a failing trigger's deliveries
// waiting for their last retry (so the attempt count must move too: reset, the subscriber would be tried
// three times instead of two before the event is dead-lettered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runCli } from '../support/cli.js';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { quiet, startSubscriber, type Subscriber } from '../support/subscriber.js';

const PERSISTENCE = 'eventing.cemesh.dev/persistence';
const PAUSED = 'eventing.cemesh.dev/paused';
const EVENTS = 10;

interface Setup {
  held: Subscriber;
  failing: Subscriber;
  sink: Subscriber;
}

function annotated(persistence: string) {
  const b = broker('default');
  b.metadata.annotations = { [PERSISTENCE]: persistence };
  return b;
}

async function setup(server: TestServer, persistence?: string): Promise<Setup> {
  const held = await startSubscriber();
  const failing = await startSubscriber(() => ({ status: 500 }));
  const sink = await startSubscriber();
  const created = persistence === undefined ? broker('default') : annotated(persistence);
  await server.apply(created, ...triggers({ held, failing, sink }, true));
  return { held, failing, sink };
}

function triggers(s: Setup, paused: boolean) {
  return [
    trigger('held', { broker: 'default', subscriber: { uri: s.held.url } }, 'default', {
      [PAUSED]: String(paused),
    }),
    trigger('failing', {
      broker: 'default',
      subscriber: { uri: s.failing.url },
      // One retry, late enough that every event waits for it while the broker moves.
      delivery: {
        retry: 1,
        backoffPolicy: 'linear',
        backoffDelay: 'PT2S',
        deadLetterSink: { uri: s.sink.url },
      },
    }),
  ];
}

async function send(server: TestServer, ids: readonly string[]): Promise<number[]> {
  return Promise.all(
    ids.map(async (id) => {
      const res = await request(`${server.ingressUrl}/default/default`, {
        method: 'POST',
        headers: { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/migrate', 'ce-type': 'moved' },
        body: '{}',
      });
      await res.body.dump();
      return res.statusCode;
    }),
  );
}

const idsOf = (s: Subscriber): string[] => s.received.map((r) => String(r.headers['ce-id'])).sort();
const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Resumes the held trigger and shows every event reached it once, and the failing one's sink once. */
async function everythingArrives(server: TestServer, s: Setup, sent: readonly string[]): Promise<void> {
  await server.apply(...triggers(s, false));
  await s.held.waitFor(sent.length, 15_000);
  await s.sink.waitFor(sent.length, 15_000);
  await quiet(300);
  assert.deepEqual(idsOf(s.held), [...sent].sort(), 'the held trigger gets every event once');
  assert.deepEqual(idsOf(s.sink), [...sent].sort(), 'every failed event is dead-lettered once');
  assert.equal(
    s.failing.received.length,
    2 * sent.length,
    'two attempts per event (retry: 1): the attempt count moved with the deliveries',
  );
}

async function closeAll(s: Setup): Promise<void> {
  await Promise.all([s.held.close(), s.failing.close(), s.sink.close()]);
}

test('cemesh migrate moves an embedded broker to memory with its pending events and retries', async () => {
  const server = await startTestServer({ backend: 'embedded' });
  const s = await setup(server);
  try {
    assert.deepEqual(await send(server, range('e', EVENTS)), Array(EVENTS).fill(202));
    await s.failing.waitFor(EVENTS);
    const env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
    const moved = await runCli(['migrate', 'broker', 'default', '--to', 'memory'], { env });
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(
      moved.stdout,
      /broker\/default moved from embedded to memory: 10 events, 20 pending deliveries \(10 of them retries\)/,
    );
    const listed = await runCli(['get', 'brokers'], { env });
    assert.match(listed.stdout.split('\n')[1] ?? '', /\bmemory\b/, 'STORAGE shows the new storage');
    const again = await runCli(['migrate', 'broker', 'default', '--to', 'memory'], { env });
    assert.match(again.stdout, /already stores its events in memory; nothing to move/);

    assert.deepEqual(await send(server, range('after', 3)), [202, 202, 202], 'the moved broker takes events');
    await everythingArrives(server, s, [...range('e', EVENTS), ...range('after', 3)]);
  } finally {
    await server.stop();
    await closeAll(s);
  }
});

test('changing the annotation moves a memory broker to embedded, and a restart keeps what moved', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-migrate-'));
  // The resources are kept in the embedded store; the broker asks for memory with its annotation.
  let server = await startTestServer({ backend: 'embedded', dataDir });
  const s = await setup(server, 'memory');
  try {
    assert.deepEqual(await send(server, range('e', EVENTS)), Array(EVENTS).fill(202));
    await s.failing.waitFor(EVENTS);
    const first = await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default');
    assert.equal(first.body.status.persistence.kind, 'memory', 'the annotation chose memory at creation');
    await server.apply(annotated('embedded'));
    const status = (
      await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default')
    ).body.status;
    assert.equal(status.persistence.kind, 'embedded');
    assert.match(status.persistence.source, /moved from memory/);
    assert.deepEqual(
      { ...status.migration, at: undefined },
      { from: 'memory', to: 'embedded', events: 10, deliveries: 20, retries: 10, at: undefined },
    );

    // The memory backend would lose everything now: the events are in the embedded store.
    await server.close();
    server = await startTestServer({ backend: 'embedded', dataDir });
    await everythingArrives(server, s, range('e', EVENTS));
  } finally {
    await server.close();
    await closeAll(s);
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('moving to or from JetStream is refused with the reason, and the broker stays where it is', async () => {
  const server = await startTestServer({ backend: 'embedded' });
  try {
    await server.apply(broker('default'));
    const env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
    const refused = await runCli(['migrate', 'broker', 'default', '--to', 'jetstream'], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /metadata\.annotations\[eventing\.cemesh\.dev\/persistence\]/);
    assert.match(refused.stderr, /cannot move the broker from embedded to jetstream: JetStream keeps/);
    const bad = await runCli(['migrate', 'broker', 'default', '--to', 'disk'], { env });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--to "disk" is not a storage; use one of memory, embedded, jetstream/);
    const listed = await runCli(['get', 'brokers'], { env });
    assert.match(listed.stdout.split('\n')[1] ?? '', /\bembedded\b/);
  } finally {
    await server.stop();
  }
});
