import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { MeshError } from '../../src/core/errors.js';
import { startNatsServer, type NatsServer } from '../support/nats.js';
import { Outbox, readAck } from '../../src/backends/jetstream/outbox.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const ack = (seq: number): Uint8Array => bytes(JSON.stringify({ stream: 'S', seq }));

test('readAck reads an acknowledgement, an API error, a status, or refuses what is neither', () => {
  assert.deepEqual(readAck(0, '', ack(7)), { stream: 'S', seq: 7, duplicate: false });
  assert.deepEqual(readAck(0, '', bytes('{"stream":"S","seq":8,"duplicate":true}')), {
    stream: 'S',
    seq: 8,
    duplicate: true,
  });
  const apiError = bytes('{"error":{"code":503,"err_code":10047,"description":"insufficient storage"}}');
  assert.throws(
    () => readAck(0, '', apiError),
    (e: unknown) => e instanceof JetStreamApiError && e.code === 10047,
  );
  const unavailable = (e: unknown): boolean =>
    e instanceof MeshError && e.code === 'MESH_BACKEND_UNAVAILABLE';
  assert.throws(() => readAck(503, 'No Responders', new Uint8Array()), unavailable);
  assert.throws(() => readAck(408, 'Request Timeout', new Uint8Array()), unavailable);
  assert.throws(() => readAck(0, '', bytes('{"seq":1}')), unavailable);
  assert.throws(() => readAck(0, '', bytes('{"stream":"S"}')), unavailable);
  assert.throws(() => readAck(0, '', bytes('not json')), SyntaxError);
});

describe('Outbox against nats-server', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'OUTBOX', subjects: ['outbox.>'] });
  });

  after(async () => {
    await nc.close();
    await server.dispose();
  });

  /** A subject nobody stores: its messages are held here and answered by hand. */
  function holder(subject: string): { got: Msg[]; next: () => Promise<Msg> } {
    const got: Msg[] = [];
    let wake: (() => void) | undefined;
    nc.subscribe(subject, {
      callback: (_error, msg) => {
        got.push(msg);
        wake?.();
      },
    });
    let taken = 0;
    return {
      got,
      next: async () => {
        while (got.length <= taken) await new Promise<void>((resolve) => (wake = resolve));
        return got[taken++] as Msg;
      },
    };
  }

  test('publishes are acknowledged and stored in call order, beyond the in-flight window too', async () => {
    const outbox = new Outbox(nc, { timeoutMs: 5_000, maxInFlight: 2 });
    const acks = await Promise.all(
      Array.from({ length: 7 }, (_, i) => outbox.publish(`outbox.order`, bytes(`m${i}`), 'OUTBOX')),
    );
    const jsm = await jetstreamManager(nc);
    for (const [i, a] of acks.entries()) {
      assert.equal(a.stream, 'OUTBOX');
      const stored = await jsm.streams.getMessage('OUTBOX', { seq: a.seq });
      assert.equal(new TextDecoder().decode(stored?.data), `m${i}`);
    }
    assert.deepEqual(
      acks.map((a) => a.seq),
      [...acks.map((a) => a.seq)].sort((x, y) => x - y),
    );
    outbox.close();
  });

  test('a publish beyond the window waits for a slot and is sent once one frees', async () => {
    const held = holder('held.window');
    const outbox = new Outbox(nc, { timeoutMs: 10_000, maxInFlight: 1 });
    const first = outbox.publish('held.window', bytes('a'), 'S');
    const second = outbox.publish('held.window', bytes('b'), 'S');
    const a = await held.next();
    await nc.flush(); // anything sent before this round trip has been delivered to this connection
    assert.equal(held.got.length, 1, 'the second publish waits while the first is unacknowledged');
    assert.equal(outbox.publishing, 1);
    assert.equal(outbox.queuedPublishes, 1);
    assert.equal(a.headers?.get('Nats-Expected-Stream'), 'S');
    a.respond(ack(1));
    assert.equal((await first).seq, 1);
    const b = await held.next();
    assert.equal(new TextDecoder().decode(b.data), 'b');
    b.respond(ack(2));
    assert.equal((await second).seq, 2);
    assert.equal(outbox.publishing, 0);
    outbox.close();
  });

  test('publishes unacknowledged within the timeout fail as unavailable, waiting ones too', async () => {
    holder('held.silent');
    const outbox = new Outbox(nc, { timeoutMs: 150, maxInFlight: 1 });
    const results = await Promise.allSettled([
      outbox.publish('held.silent', bytes('a'), 'S'),
      outbox.publish('held.silent', bytes('b'), 'S'),
    ]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.ok(
        r.reason instanceof MeshError && r.reason.code === 'MESH_BACKEND_UNAVAILABLE',
        String(r.reason),
      );
    }
    assert.equal(outbox.publishing + outbox.queuedPublishes, 0);
    outbox.close();
  });

  test('JetStream errors map to the store errors: full is MESH_BACKEND_FULL, no stream is unavailable', async () => {
    const held = holder('held.full');
    const outbox = new Outbox(nc, { timeoutMs: 5_000 });
    const full = outbox.publish('held.full', bytes('a'), 'S');
    (await held.next()).respond(
      bytes('{"error":{"code":503,"err_code":10077,"description":"maximum bytes exceeded"}}'),
    );
    await assert.rejects(full, (e: unknown) => e instanceof MeshError && e.code === 'MESH_BACKEND_FULL');
    await assert.rejects(
      outbox.publish('nobody.listens', bytes('a'), 'S'),
      (e: unknown) => e instanceof MeshError && e.code === 'MESH_BACKEND_UNAVAILABLE',
    );
    outbox.close();
  });

  test('a flush goes out as one frame written by the outbox, UTF-8 and headers intact', async () => {
    const held = holder('held.frame');
    const outbox = new Outbox(nc, { timeoutMs: 10_000 });
    // This client has the queue of outgoing bytes the outbox writes frames into; if an upgrade removes it,
    // the outbox falls back to the client's publish and this says so.
    assert.equal(outbox.writesFrames, true);
    outbox.send('held.frame', '{"id":"é😀"}');
    const published = outbox.publish('held.frame', bytes('ünï'), 'STREAM-X');
    const [one, two] = [await held.next(), await held.next()];
    assert.equal(new TextDecoder().decode(one.data), '{"id":"é😀"}');
    assert.equal(one.headers, undefined);
    assert.equal(new TextDecoder().decode(two.data), 'ünï');
    assert.equal(two.headers?.get('Nats-Expected-Stream'), 'STREAM-X');
    two.respond(ack(3));
    assert.equal((await published).seq, 3);
    outbox.close();
  });

  test('on a client without its queue of outgoing bytes, the outbox sends through publish', async () => {
    const held = holder('held.fallback');
    // The client's public surface only: what a client version without `protocol` would offer.
    const plain = {
      subscribe: nc.subscribe.bind(nc),
      publish: nc.publish.bind(nc),
      isClosed: nc.isClosed.bind(nc),
      info: nc.info,
    } as unknown as NatsConnection;
    const outbox = new Outbox(plain, { timeoutMs: 10_000 });
    assert.equal(outbox.writesFrames, false);
    outbox.send('held.fallback', 'one-way');
    const published = outbox.publish('held.fallback', bytes('append'), 'STREAM-Y');
    const [one, two] = [await held.next(), await held.next()];
    assert.equal(new TextDecoder().decode(one.data), 'one-way');
    assert.equal(two.headers?.get('Nats-Expected-Stream'), 'STREAM-Y');
    two.respond(ack(4));
    assert.equal((await published).seq, 4);
    const tooLarge = outbox.publish('held.fallback', new Uint8Array((nc.info?.max_payload ?? 0) + 1), 'S');
    await assert.rejects(
      tooLarge,
      (e: unknown) => e instanceof MeshError && e.code === 'MESH_BODY_TOO_LARGE',
    );
    outbox.close();
  });

  test('a message over max_payload is not sent: a publish fails as too large, the connection stays', async () => {
    const held = holder('held.large');
    const outbox = new Outbox(nc, { timeoutMs: 10_000 });
    const max = nc.info?.max_payload ?? 0;
    assert.ok(max > 0);
    outbox.send('held.large', 'x'.repeat(max + 1));
    const large = outbox.publish('held.large', new Uint8Array(max), 'S'); // the header makes it too large
    outbox.send('held.large', 'after');
    await assert.rejects(large, (e: unknown) => e instanceof MeshError && e.code === 'MESH_BODY_TOO_LARGE');
    assert.equal(new TextDecoder().decode((await held.next()).data), 'after');
    await nc.flush();
    assert.equal(held.got.length, 1, 'neither oversized message was sent');
    assert.equal(nc.isClosed(), false);
    outbox.close();
  });

  test('one-way messages arrive in order; close fails what is pending and refuses more', async () => {
    const held = holder('held.oneway');
    const outbox = new Outbox(nc, { timeoutMs: 10_000, maxInFlight: 1 });
    for (let i = 0; i < 50; i++) outbox.send('held.oneway', `n${i}`);
    for (let i = 0; i < 50; i++) assert.equal(new TextDecoder().decode((await held.next()).data), `n${i}`);

    const pending = [
      outbox.publish('held.oneway', bytes('p'), 'S'),
      outbox.publish('held.oneway', bytes('q'), 'S'),
    ];
    outbox.close();
    for (const r of await Promise.allSettled(pending)) {
      assert.equal(r.status, 'rejected');
      assert.equal((r.reason as MeshError).code, 'MESH_BACKEND_UNAVAILABLE');
    }
    assert.throws(() => outbox.send('held.oneway', 'late'), MeshError);
    await assert.rejects(outbox.publish('held.oneway', bytes('late'), 'S'), MeshError);
  });
});
