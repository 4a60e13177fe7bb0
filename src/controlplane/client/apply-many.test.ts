import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '../../core/resources/object.js';
import { applyMany, type ApplyOperations, type ApplyOutcome } from './apply-many.js';
import { ClientError, failure } from './errors.js';

function trigger(name: string, namespace = 'default', type = 'x'): Resource {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name, namespace },
    spec: { broker: 'default', filter: { attributes: { type } }, subscriber: { uri: 'http://s/' } },
  };
}

function namespace(name: string): Resource {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** Operations over an in-memory map, recording every call; writes finish in a shuffled order. */
function fakeOps(stored: Resource[] = [], options: { listFails?: boolean } = {}) {
  const objects = new Map(stored.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const delay = (name: string): Promise<void> =>
    new Promise((resolve) => setTimeout(resolve, (name.charCodeAt(name.length - 1) % 3) * 2));
  const write = async (what: string, object: Resource): Promise<void> => {
    calls.push(`${what} ${object.metadata.name}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await delay(object.metadata.name);
    inFlight--;
  };
  const ops: ApplyOperations = {
    async list(sample) {
      calls.push(`list ${sample.kind}`);
      if (options.listFails) throw new Error('list refused');
      return new Map(
        [...objects.values()].filter((o) => o.kind === sample.kind).map((o) => [o.metadata.name, o]),
      );
    },
    async applyOne(object) {
      calls.push(`applyOne ${object.metadata.name}`);
      const key = `${object.kind}/${object.metadata.name}`;
      const existed = objects.has(key);
      objects.set(key, object);
      return existed ? 'configured' : 'created';
    },
    async create(object) {
      await write('create', object);
      const key = `${object.kind}/${object.metadata.name}`;
      if (objects.has(key)) throw new ClientError(failure(409, 'AlreadyExists', 'exists'));
      if (object.metadata.name === 'bad') throw new ClientError(failure(422, 'Invalid', 'spec is wrong'));
      objects.set(key, object);
    },
    async replace(object) {
      await write('replace', object);
      objects.set(`${object.kind}/${object.metadata.name}`, object);
    },
  };
  return { ops, calls, objects, maxInFlight: () => maxInFlight };
}

async function run(objects: Resource[], ops: ApplyOperations, concurrency = 4): Promise<string[]> {
  const lines: string[] = [];
  const report = (o: ApplyOutcome): void => {
    lines.push(`${o.object.metadata.name} ${'result' in o ? o.result : 'error'}`);
  };
  await applyMany(objects, ops, report, { concurrency, listFrom: 3 });
  return lines;
}

test('applyMany: a long run is read with one LIST, written several at once, reported in manifest order', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
  const fake = fakeOps([trigger('t3'), trigger('t5', 'default', 'changed')]);
  const lines = await run(
    names.map((n) => trigger(n)),
    fake.ops,
  );
  assert.deepEqual(
    lines,
    names.map((n) => `${n} ${n === 't3' ? 'unchanged' : n === 't5' ? 'configured' : 'created'}`),
  );
  assert.equal(fake.calls.filter((c) => c.startsWith('list')).length, 1);
  assert.ok(!fake.calls.some((c) => c.startsWith('applyOne')));
  assert.ok(
    fake.maxInFlight() > 1 && fake.maxInFlight() <= 4,
    `in flight at most 4, saw ${fake.maxInFlight()}`,
  );
});

test('applyMany: short runs go object by object; a kind change waits for the run before it', async () => {
  const fake = fakeOps();
  const lines = await run([namespace('team'), trigger('a', 'team'), trigger('b', 'team')], fake.ops);
  assert.deepEqual(lines, ['team created', 'a created', 'b created']);
  assert.deepEqual(fake.calls, ['applyOne team', 'applyOne a', 'applyOne b']);
});

test('applyMany: a repeated name starts a new run, so the two writes never overlap', async () => {
  const fake = fakeOps();
  const objects = [trigger('a'), trigger('b'), trigger('c'), trigger('a', 'default', 'second'), trigger('d')];
  const lines = await run(objects, fake.ops);
  assert.deepEqual(lines, ['a created', 'b created', 'c created', 'a configured', 'd created']);
  const firstA = fake.calls.indexOf('create a');
  const secondA = fake.calls.findIndex((c, i) => i > firstA && c.endsWith(' a'));
  assert.ok(
    secondA > fake.calls.indexOf('create c'),
    `second write of a after the first run: ${fake.calls.join(', ')}`,
  );
});

test('applyMany: a failure is reported for its object and the others go on', async () => {
  const fake = fakeOps();
  const lines = await run([trigger('a'), trigger('bad'), trigger('c'), trigger('d')], fake.ops);
  assert.deepEqual(lines, ['a created', 'bad error', 'c created', 'd created']);
});

test('applyMany: an object created by someone else since the LIST is applied again, not refused', async () => {
  const fake = fakeOps();
  const list = fake.ops.list;
  fake.ops.list = async (sample) => {
    const found = await list(sample);
    fake.objects.set('Trigger/b', trigger('b'));
    return found;
  };
  const lines = await run([trigger('a'), trigger('b'), trigger('c')], fake.ops);
  assert.deepEqual(lines, ['a created', 'b configured', 'c created']);
  assert.ok(fake.calls.includes('applyOne b'));
});

test('applyMany: when the LIST fails, each object is applied alone', async () => {
  const fake = fakeOps([], { listFails: true });
  const lines = await run([trigger('a'), trigger('b'), trigger('c')], fake.ops);
  assert.deepEqual(lines, ['a created', 'b created', 'c created']);
  assert.deepEqual(fake.calls.slice(1).sort(), ['applyOne a', 'applyOne b', 'applyOne c']);
});
