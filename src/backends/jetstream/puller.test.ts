import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Msg } from '@nats-io/transport-node';
import type { SharedConnection } from './connection.js';
import { FIRST_PULL_EXPIRES_MS, PULL_EXPIRES_MS, QueuePuller } from './puller.js';

type Callback = (error: Error | null, msg: Msg) => void;

/** A connection that records pull requests and lets the test answer them (or not). */
function fakeConnection(): {
  conn: SharedConnection;
  pulls: { expires: number; reply: string }[];
  answer: (reply: string, code: number) => void;
} {
  const pulls: { expires: number; reply: string }[] = [];
  const callbacks = new Map<string, Callback>();
  const nc = {
    subscribe: (subject: string, options: { callback: Callback }) => {
      callbacks.set(subject, options.callback);
      return { unsubscribe: () => callbacks.delete(subject) };
    },
    publish: (subject: string, data: string, options: { reply: string }) => {
      if (!subject.startsWith('$JS.API.CONSUMER.MSG.NEXT.')) return;
      const { expires } = JSON.parse(data) as { expires: number };
      pulls.push({ expires, reply: options.reply });
    },
  };
  const conn = {
    nc,
    outbox: { send: () => undefined },
    options: { ackWaitMs: 30_000 },
    onReconnect: () => () => undefined,
  } as unknown as SharedConnection;
  const answer = (reply: string, code: number): void => {
    const inbox = [...callbacks.keys()].find((s) => s.endsWith('.*') && reply.startsWith(s.slice(0, -1)));
    assert.ok(inbox, `a subscription for ${reply}`);
    const headers = { code, description: code === 408 ? 'Request Timeout' : '', get: () => '' };
    callbacks.get(inbox)!(null, { subject: reply, headers, data: new Uint8Array() } as unknown as Msg);
  };
  return { conn, pulls, answer };
}

async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  for (const deadline = Date.now() + ms; !check();) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a pull the consumer never answered is taken as lost within 2 s, not 12; once it answers, pulls wait the usual expiry', async () => {
  const { conn, pulls, answer } = fakeConnection();
  let checks = 0;
  const puller = new QueuePuller(conn, {
    stream: 'S',
    consumer: 'C',
    ensureConsumer: () => {
      checks++;
      return Promise.resolve();
    },
  });
  const controller = new AbortController();
  const leasing = puller.lease({ max: 1, leaseMs: 30_000, signal: controller.signal });
  try {
    await until('a first pull', () => pulls.length === 1);
    assert.equal(pulls[0]!.expires, FIRST_PULL_EXPIRES_MS * 1e6);
    // Dropped without an answer (a consumer without a leader yet): asked again after checking the consumer.
    const sent = Date.now();
    await until('a second pull', () => pulls.length === 2, 3_000);
    assert.ok(Date.now() - sent < 2_500, `the lost pull was noticed after ${Date.now() - sent} ms`);
    assert.equal(checks, 2);
    assert.equal(pulls[1]!.expires, FIRST_PULL_EXPIRES_MS * 1e6);
    // The consumer answers (the pull expired, 408): from now on a pull waits the usual expiry.
    answer(pulls[1]!.reply, 408);
    await until('a third pull', () => pulls.length === 3);
    assert.equal(pulls[2]!.expires, PULL_EXPIRES_MS * 1e6);
    assert.equal(checks, 2);
  } finally {
    controller.abort();
    await leasing;
    puller.close();
  }
});
