// A hosted function's life as a Kyma user drives it (docs/functions.md): an edited source rolls to new processes
// while events keep coming and none is lost, two replicas share the calls, `logs -f` follows the output with
// event ids, /metrics counts calls per function, and a function that crashes at start is restarted with growing
// backoff while Running shows the crash loop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { fn, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';
import { runCli } from '../support/cli.js';

const NS = 'life';
const FUNCTIONS = `/apis/serverless.kyma-project.io/v1alpha2/namespaces/${NS}/functions`;
const functionRef = (name: string): Record<string, unknown> => ({
  ref: { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', name },
});

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function condition(object: Resource, type: string): { status?: string; reason?: string; message?: string } {
  return object.status?.conditions?.find((c) => c.type === type) ?? {};
}

/** A function that replies with its version, the event's number and the replica's process id. */
const replier = (version: number): string => `module.exports = { main(event) {
  console.log('handling', event.data.n);
  return { specversion: '1.0', id: 'r-' + event['ce-id'], type: 'life.reply', source: '/life',
    data: { version: ${version}, n: event.data.n, pid: process.pid } };
} };`;

describe('hosted function lifecycle', () => {
  let server: TestServer;
  let sink: Subscriber;
  let deadLetters: Subscriber;
  let env: Record<string, string>;

  const getFunction = async (name: string): Promise<Resource> =>
    (await server.api('GET', `${FUNCTIONS}/${name}`)).body as Resource;
  const running = (name: string, message?: RegExp): Promise<Resource> =>
    waitFor(`${name} to run`, async () => {
      const object = await getFunction(name);
      const run = condition(object, 'Running');
      return run.status === 'True' && (message === undefined || message.test(run.message ?? ''))
        ? object
        : undefined;
    });
  const send = async (type: string, data: unknown, id: string): Promise<void> => {
    const res = await request(`${server.ingressUrl}/${NS}/default`, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': id,
        'ce-type': type,
        'ce-source': '/test',
        'content-type': 'application/json',
      },
      body: JSON.stringify(data),
    });
    await res.body.dump();
    assert.equal(res.statusCode, 202);
  };
  const replies = (prefix: string): { version: number; n: number; pid: number }[] =>
    sink.received
      .filter((r) => String(r.headers['ce-id']).startsWith(`r-${prefix}`))
      .map((r) => JSON.parse(r.body.toString('utf8')) as { version: number; n: number; pid: number });
  /** A trigger into the function that never retries: an event lost in a rollout would be dead-lettered. */
  const strictTrigger = (name: string, type: string, fnName: string): Resource =>
    trigger(
      name,
      {
        filter: { attributes: { type } },
        subscriber: functionRef(fnName),
        delivery: { retry: 0, deadLetterSink: { uri: deadLetters.url } },
      },
      NS,
    );

  before(async () => {
    server = await startTestServer();
    sink = await startSubscriber();
    deadLetters = await startSubscriber();
    env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
    await server.apply(
      namespace(NS),
      {
        apiVersion: 'eventing.knative.dev/v1',
        kind: 'Broker',
        metadata: { name: 'default', namespace: NS },
      },
      trigger(
        'replies',
        { filter: { attributes: { type: 'life.reply' } }, subscriber: { uri: sink.url } },
        NS,
      ),
    );
  });

  after(async () => {
    await server.stop();
    await sink.close();
    await deadLetters.close();
  });

  test('an edited source rolls to new processes while a steady stream flows: every event answered, none lost', async () => {
    await server.apply(fn('roll', replier(1), {}, NS), strictTrigger('to-roll', 'roll', 'roll'));
    await running('roll');
    const total = 80;
    for (let n = 0; n < total; n++) {
      if (n === 20) await server.apply(fn('roll', replier(2), {}, NS));
      await send('roll', { n }, `roll-${n}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await waitFor('every reply', async () => (replies('roll').length >= total ? true : undefined));
    const got = replies('roll');
    assert.deepEqual(
      [...new Set(got.map((r) => r.n))].sort((a, b) => a - b),
      Array.from({ length: total }, (_, n) => n),
    );
    assert.equal(deadLetters.received.length, 0, 'no event failed during the rollout');
    const pids = new Map(got.map((r) => [r.version, r.pid]));
    assert.deepEqual([...pids.keys()].sort(), [1, 2], 'both versions answered');
    assert.notEqual(pids.get(1), pids.get(2), 'the new version runs in a new process');
    // Once rolled, only the new version answers.
    await running('roll');
    await send('roll', { n: total }, `roll-${total}`);
    await waitFor('the last reply', async () => replies('roll').find((r) => r.n === total));
    assert.equal(replies('roll').find((r) => r.n === total)?.version, 2);
  });

  test('spec.replicas: 2 runs two processes and the calls are spread over both', async () => {
    await server.apply(fn('pair', replier(1), { replicas: 2 }, NS), strictTrigger('to-pair', 'pair', 'pair'));
    await running('pair', /2 of 2 replicas serving/);
    // One at a time, so no replica is ever busier than the other: the spread is the balancer's own.
    for (let n = 0; n < 10; n++) {
      await send('pair', { n }, `pair-${n}`);
      await waitFor(`reply ${n}`, async () => replies('pair').find((r) => r.n === n));
    }
    const perPid = new Map<number, number>();
    for (const r of replies('pair')) perPid.set(r.pid, (perPid.get(r.pid) ?? 0) + 1);
    assert.equal(perPid.size, 2, `two processes answered: ${JSON.stringify([...perPid])}`);
    assert.deepEqual([...perPid.values()], [5, 5]);
  });

  test('`cemesh logs function -f` follows the output with event ids; /metrics counts calls per function', async () => {
    const abort = new AbortController();
    let seen = false;
    const follow = runCli(['logs', 'function', 'roll', '-n', NS, '-f'], {
      env,
      signal: abort.signal,
      onStdout: (_chunk, all) => {
        if (/\[event follow-1\] handling 1001/.test(all)) {
          seen = true;
          abort.abort();
        }
      },
    });
    // The follower is attached once the earlier lines arrived; then a new event's line must stream in.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send('roll', { n: 1001 }, 'follow-1');
    const followed = await Promise.race([
      follow,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000)),
    ]);
    abort.abort();
    assert.ok(seen, `the followed output shows the new line: ${followed?.stdout ?? '(still running)'}`);

    const metrics = await request(`${server.adminUrl}/metrics`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const text = await metrics.body.text();
    const calls = /cemesh_function_calls_total\{namespace="life",function="roll"\} (\d+)/.exec(text);
    assert.ok(calls && Number(calls[1]) >= 82, `calls counted: ${calls?.[0]}`);
    assert.doesNotMatch(text, /cemesh_function_failures_total\{namespace="life",function="roll"\} [1-9]/);
    assert.match(text, /cemesh_function_duration_seconds_count\{namespace="life",function="roll"\} \d+/);
    assert.match(text, /cemesh_function_calls_total\{namespace="life",function="pair"\} 10/);

    const got = await runCli(['get', 'functions', '-n', NS], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^NAME\s+CONFIGURED\s+BUILT\s+RUNNING\s+RUNTIME\s+VERSION\s+AGE\n/);
    assert.match(got.stdout, /\nroll\s+True\s+True\s+True\s+nodejs20\s+2\s+\d+s\n/);
  });

  test('a function that crashes at start is restarted with growing backoff; Running shows the crash loop', async () => {
    await server.apply(fn('doomed', `console.error('cannot reach the database'); process.exit(3);`, {}, NS));
    const looping = await waitFor('the crash loop in Running', async () => {
      const object = await getFunction('doomed');
      return /restarted 3 time/.test(condition(object, 'Running').message ?? '') ? object : undefined;
    });
    const run = condition(looping, 'Running');
    assert.equal(run.status, 'False');
    assert.equal(run.reason, 'CrashLoopBackOff');
    assert.match(
      run.message ?? '',
      /0 of 1 replicas serving; restarted 3 time\(s\), last: exited with code 3: cannot reach the database/,
    );
    assert.equal(condition(looping, 'Ready').status, 'False');
    // The waits between restarts grow (1 s, then 2 s): the exits are at least that far apart.
    const logs = (await server.api('GET', `${FUNCTIONS}/doomed/log`)).body as {
      items: { time: string; text: string }[];
    };
    const exits = logs.items.filter((l) => /exited with code 3/.test(l.text)).map((l) => Date.parse(l.time));
    assert.ok(exits.length >= 3, JSON.stringify(logs.items));
    assert.ok(exits[1]! - exits[0]! >= 1000, `first wait ${exits[1]! - exits[0]!} ms`);
    assert.ok(exits[2]! - exits[1]! >= 2000, `second wait ${exits[2]! - exits[1]!} ms`);
    // Fixing the source ends the loop.
    await server.apply(fn('doomed', replier(1), {}, NS));
    const fixed = await running('doomed');
    assert.equal(condition(fixed, 'Ready').status, 'True');
  });
});
