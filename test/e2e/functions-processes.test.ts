// Hosted functions across cemesh processes (docs/functions.md): with the embedded store a function comes back
// after cemesh restarts; with the JetStream backend every cemesh process runs the function and delivers to its
// own replicas (a replica's parent process is the cemesh that started it).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { natsServerBinary, startNatsServer, type NatsServer } from '../support/nats.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { fn, trigger } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const TOKEN = 'functions-processes-admin-token-32-chars';

/** Replies with the process ids of the replica and of the cemesh that runs it. */
const WHO = `module.exports = { main(event) {
  return { specversion: '1.0', id: 'who-' + event['ce-id'], type: 'who.reply', source: '/who',
    data: { n: event.data.n, pid: process.pid, cemesh: process.ppid } };
} };`;

const broker: Resource = {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name: 'default', namespace: 'default' },
};

function resources(sink: Subscriber): Resource[] {
  return [
    broker,
    fn('who', WHO),
    trigger('to-who', {
      filter: { attributes: { type: 'who' } },
      subscriber: {
        ref: { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', name: 'who' },
      },
    }),
    trigger('replies', { filter: { attributes: { type: 'who.reply' } }, subscriber: { uri: sink.url } }),
  ];
}

async function apply(server: ServerProcess, objects: Resource[]): Promise<void> {
  for (const object of objects) {
    const plural = object.kind === 'Function' ? 'functions' : `${object.kind.toLowerCase()}s`;
    const group = object.apiVersion.includes('/')
      ? `/apis/${object.apiVersion}`
      : `/api/${object.apiVersion}`;
    const res = await request(`${server.adminUrl}${group}/namespaces/default/${plural}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(object),
    });
    const text = await res.body.text();
    assert.ok(res.statusCode < 300 || res.statusCode === 409, `${object.kind}: ${res.statusCode} ${text}`);
  }
}

async function send(server: ServerProcess, n: number): Promise<void> {
  const res = await request(`${server.ingressUrl}/default/default`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': `e-${n}`,
      'ce-type': 'who',
      'ce-source': '/test',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ n }),
  });
  await res.body.dump();
  assert.equal(res.statusCode, 202);
}

type Reply = { n: number; pid: number; cemesh: number };
const replies = (sink: Subscriber): Reply[] =>
  sink.received.map((r) => JSON.parse(r.body.toString('utf8')) as Reply);

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('hosted functions across cemesh processes', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  });

  test('with the embedded store a function comes back after cemesh restarts; no temp folder outlives its replica', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-fn-restart-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const sink = await startSubscriber();
    cleanup.push(() => sink.close());
    const args = ['--data-dir', dataDir, '--backend', 'embedded'];
    const first = await startServerProcess(args);
    cleanup.push(() => first.kill());
    await apply(first, resources(sink));
    // The first event waits in the store until the function serves.
    await send(first, 1);
    await until('the reply before the restart', () => replies(sink).length === 1);
    const scratch = join(dataDir, 'functions', 'scratch');
    assert.equal((await readdir(scratch)).length, 1, 'the replica has its temp folder');
    assert.equal(await first.stop(), 0);
    assert.deepEqual(await readdir(scratch), [], 'a stop removes every replica temp folder');

    // What a cemesh killed with its replicas running leaves behind is removed at the next start.
    await mkdir(join(scratch, 'who-left-by-a-kill', 'deep'), { recursive: true });
    const second = await startServerProcess(args);
    cleanup.push(() => second.kill());
    await send(second, 2);
    await until('the reply after the restart', () => replies(sink).some((r) => r.n === 2));
    const folders = await readdir(scratch);
    assert.equal(folders.length, 1);
    assert.match(folders[0]!, /^who-/);
    assert.notEqual(folders[0], 'who-left-by-a-kill');
    const [before, afterRestart] = [replies(sink)[0]!, replies(sink).find((r) => r.n === 2)!];
    assert.equal(before.cemesh, first.child.pid);
    assert.equal(afterRestart.cemesh, second.child.pid, 'the restarted cemesh runs the function itself');
  });

  test(
    'with JetStream two cemesh processes each run the function and deliver to their own replicas',
    { skip: natsServerBinary() === undefined ? 'nats-server is not installed' : false },
    async () => {
      const nats: NatsServer = await startNatsServer();
      cleanup.push(() => nats.dispose());
      const sink = await startSubscriber();
      cleanup.push(() => sink.close());
      const servers: ServerProcess[] = [];
      for (const name of ['a', 'b']) {
        const dataDir = await mkdtemp(join(tmpdir(), `cemesh-fn-js-${name}-`));
        cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
        const server = await startServerProcess([
          '--data-dir',
          dataDir,
          '--backend',
          'jetstream',
          '--nats',
          nats.url,
          '--admin-token',
          TOKEN,
        ]);
        cleanup.push(() => server.kill());
        servers.push(server);
      }
      const [a, b] = servers as [ServerProcess, ServerProcess];
      await apply(a, resources(sink));
      const total = 60;
      for (let n = 0; n < total; n++) await send(n % 2 === 0 ? a : b, n);
      await until('every reply', () => new Set(replies(sink).map((r) => r.n)).size === total);
      const byCemesh = new Map<number, Set<number>>();
      for (const r of replies(sink)) {
        const pids = byCemesh.get(r.cemesh) ?? new Set<number>();
        pids.add(r.pid);
        byCemesh.set(r.cemesh, pids);
      }
      assert.deepEqual(
        [...byCemesh.keys()].sort(),
        [a.child.pid, b.child.pid].sort(),
        'both cemesh processes delivered, each to a function replica it started',
      );
      const [pidsA, pidsB] = [byCemesh.get(a.child.pid!)!, byCemesh.get(b.child.pid!)!];
      assert.ok(
        [...pidsA].every((pid) => !pidsB.has(pid)),
        'no replica is shared between them',
      );
    },
  );
});
