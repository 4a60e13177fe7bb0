// Resource store conformance: Kubernetes-style storage semantics (ARCHITECTURE 2.4) every backend shares:
// one global resourceVersion, optimistic concurrency on replace, ordered lists, and resumable watches.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '../../src/core/resources/object.js';
import type { ResourceStore, WatchEvent } from '../../src/store/contracts.js';
import { rejectsWithCode, withReopenable } from './store-support.js';

export interface ResourceStoreFactory {
  open(dir: string): Promise<ResourceStore>;
  durable: boolean;
  /** How many changes the store opened by `open` keeps for resuming watches, when it is small enough to test. */
  retainedChanges?: number;
}

function broker(namespace: string, name: string, extra: Record<string, unknown> = {}): Resource {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: { name, namespace },
    spec: { ...extra },
  };
}

function namespaceObject(name: string): Resource {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function withStore(
  factory: ResourceStoreFactory,
  fn: (store: ResourceStore, reopen: () => Promise<ResourceStore>) => Promise<void>,
): Promise<void> {
  return withReopenable((dir) => factory.open(dir), fn);
}

/** Reads `count` events from a watch, then stops it. */
async function take(iterable: AsyncIterable<WatchEvent>, count: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  if (count === 0) return events;
  for await (const e of iterable) {
    events.push(e);
    if (events.length === count) break;
  }
  return events;
}

function summary(events: readonly WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion ?? '?'}`);
}

export function resourceStoreConformance(name: string, factory: ResourceStoreFactory): void {
  describe(`resource store conformance: ${name}`, () => {
    test('create assigns a resourceVersion from one global, increasing decimal counter', () =>
      withStore(factory, async (store) => {
        assert.equal(store.currentVersion(), '0');
        const a = await store.create(broker('ns', 'a'));
        const n = await store.create(namespaceObject('ns'));
        assert.match(a.metadata.resourceVersion ?? '', /^\d+$/);
        assert.ok(
          Number(n.metadata.resourceVersion) > Number(a.metadata.resourceVersion),
          'global across kinds',
        );
        assert.equal(store.currentVersion(), n.metadata.resourceVersion);
        assert.deepEqual(await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' }), a);
        assert.deepEqual(await store.get({ kind: 'Namespace', name: 'ns' }), n);
        assert.equal(await store.get({ kind: 'Broker', namespace: 'other', name: 'a' }), undefined);
      }));

    test('create of a taken key fails with MESH_RESOURCE_EXISTS and changes nothing', () =>
      withStore(factory, async (store) => {
        await store.create(broker('ns', 'a', { v: 1 }));
        const version = store.currentVersion();
        await rejectsWithCode(store.create(broker('ns', 'a', { v: 2 })), 'MESH_RESOURCE_EXISTS');
        assert.equal(store.currentVersion(), version);
        assert.deepEqual((await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' }))?.spec, { v: 1 });
        await store.create(broker('other', 'a'));
      }));

    test('replace with the stored resourceVersion succeeds and assigns a new one', () =>
      withStore(factory, async (store) => {
        const created = await store.create(broker('ns', 'a', { v: 1 }));
        const replaced = await store.replace({ ...created, spec: { v: 2 } });
        assert.ok(Number(replaced.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
        assert.deepEqual((await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' }))?.spec, { v: 2 });
      }));

    test('replace with a stale resourceVersion fails with MESH_RESOURCE_CONFLICT (optimistic concurrency)', () =>
      withStore(factory, async (store) => {
        const created = await store.create(broker('ns', 'a', { v: 1 }));
        await store.replace({ ...created, spec: { v: 2 } });
        await rejectsWithCode(store.replace({ ...created, spec: { v: 3 } }), 'MESH_RESOURCE_CONFLICT');
        assert.deepEqual((await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' }))?.spec, { v: 2 });
      }));

    test('replace without a resourceVersion is unconditional; replace of an absent key is MESH_RESOURCE_NOT_FOUND', () =>
      withStore(factory, async (store) => {
        await store.create(broker('ns', 'a', { v: 1 }));
        const replaced = await store.replace(broker('ns', 'a', { v: 9 }));
        assert.deepEqual(replaced.spec, { v: 9 });
        await rejectsWithCode(store.replace(broker('ns', 'missing')), 'MESH_RESOURCE_NOT_FOUND');
      }));

    test('delete returns what was deleted and frees the key; deleting an absent key returns undefined', () =>
      withStore(factory, async (store) => {
        const created = await store.create(broker('ns', 'a', { v: 1 }));
        const deleted = await store.delete({ kind: 'Broker', namespace: 'ns', name: 'a' });
        assert.deepEqual(deleted?.spec, { v: 1 });
        assert.equal(deleted?.metadata.name, 'a');
        assert.equal(await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' }), undefined);
        assert.ok(
          Number(store.currentVersion()) > Number(created.metadata.resourceVersion),
          'delete is a change',
        );
        assert.equal(await store.delete({ kind: 'Broker', namespace: 'ns', name: 'a' }), undefined);
        await store.create(broker('ns', 'a'));
      }));

    test('list returns a kind in one namespace or in all, ordered by namespace then name', () =>
      withStore(factory, async (store) => {
        for (const [ns, n] of [
          ['b', 'z'],
          ['a', 'y'],
          ['b', 'a'],
          ['a', 'x'],
        ] as const) {
          await store.create(broker(ns, n));
        }
        await store.create(namespaceObject('b'));
        await store.create(namespaceObject('a'));
        const names = (rs: Resource[]) => rs.map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name}`);
        assert.deepEqual(names(await store.list('Broker')), ['a/x', 'a/y', 'b/a', 'b/z']);
        assert.deepEqual(names(await store.list('Broker', 'b')), ['b/a', 'b/z']);
        assert.deepEqual(names(await store.list('Namespace')), ['/a', '/b']);
        assert.deepEqual(await store.list('Trigger'), []);
      }));

    test('a returned object cannot change the store: it is frozen (shared) or a copy', () =>
      withStore(factory, async (store) => {
        // Writing to a frozen object throws in strict mode; writing to a copy succeeds. Neither may reach the store.
        const tryChange = (object: Resource | undefined, value: number): void => {
          try {
            (object!.spec as Record<string, unknown>)['v'] = value;
          } catch (error) {
            assert.ok(error instanceof TypeError, `a refused change is a TypeError, not ${String(error)}`);
          }
        };
        const created = await store.create(broker('ns', 'a', { v: 1 }));
        tryChange(created, 2);
        const got = await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' });
        assert.deepEqual(got?.spec, { v: 1 });
        tryChange(got, 3);
        const [listed] = await store.list('Broker');
        assert.deepEqual(listed?.spec, { v: 1 });
        tryChange(listed, 4);
        assert.deepEqual((await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' }))?.spec, { v: 1 });
      }));

    test('watch delivers live changes in order, starting from the moment watch is called', () =>
      withStore(factory, async (store) => {
        await store.create(broker('ns', 'before'));
        const controller = new AbortController();
        const watch = store.watch({ signal: controller.signal });
        const a = await store.create(broker('ns', 'a'));
        await store.replace({ ...a, spec: { v: 2 } });
        await store.delete({ kind: 'Broker', namespace: 'ns', name: 'a' });
        const events = await take(watch, 3);
        assert.deepEqual(
          events.map((e) => `${e.type} ${e.object.metadata.name}`),
          ['ADDED a', 'MODIFIED a', 'DELETED a'],
        );
        const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
        assert.ok(versions[0]! < versions[1]! && versions[1]! < versions[2]!, summary(events).join('; '));
        assert.equal(
          String(versions[2]),
          store.currentVersion(),
          'DELETED carries the deletion resourceVersion',
        );
        controller.abort();
      }));

    test('writeMany stores creates and replaces in order, each entry with its own outcome', () =>
      withStore(factory, async (store) => {
        const stored = await store.create(broker('ns', 'kept', { v: 1 }));
        const staleVersion = stored.metadata.resourceVersion;
        await store.replace({ ...stored, spec: { v: 2 } });
        const controller = new AbortController();
        const watch = store.watch({ signal: controller.signal });
        const outcomes = await store.writeMany([
          { op: 'create', object: broker('ns', 'a', { v: 1 }) },
          { op: 'create', object: broker('ns', 'kept') },
          {
            op: 'replace',
            object: {
              ...broker('ns', 'kept', { v: 3 }),
              metadata: { name: 'kept', namespace: 'ns', resourceVersion: staleVersion },
            },
          },
          { op: 'replace', object: broker('ns', 'missing') },
          { op: 'replace', object: broker('ns', 'a', { v: 2 }) },
          { op: 'create', object: namespaceObject('ns') },
        ]);
        const codes = outcomes.map((o) => ('object' in o ? 'ok' : (o.error as { code?: string }).code));
        assert.deepEqual(codes, [
          'ok',
          'MESH_RESOURCE_EXISTS',
          'MESH_RESOURCE_CONFLICT',
          'MESH_RESOURCE_NOT_FOUND',
          'ok',
          'ok',
        ]);
        const written = outcomes.flatMap((o) => ('object' in o ? [o.object] : []));
        const versions = written.map((o) => Number(o.metadata.resourceVersion));
        assert.ok(versions[0]! < versions[1]!, `writes to one key in order: ${versions.join(' ')}`);
        assert.equal(store.currentVersion(), String(Math.max(...versions)));
        assert.deepEqual(await store.get({ kind: 'Broker', namespace: 'ns', name: 'a' }), written[1]);
        assert.deepEqual((await store.get({ kind: 'Broker', namespace: 'ns', name: 'kept' }))?.spec, {
          v: 2,
        });
        assert.deepEqual(await store.get({ kind: 'Namespace', name: 'ns' }), written[2]);
        // Writes to different keys may reach the watch in another order where the backend has no transaction.
        const events = (await take(watch, 3)).map((e) => `${e.type} ${e.object.metadata.name}`);
        assert.deepEqual(
          events.filter((e) => e.endsWith(' a')),
          ['ADDED a', 'MODIFIED a'],
        );
        assert.ok(events.includes('ADDED ns'), events.join('; '));
        controller.abort();
        assert.deepEqual(await store.writeMany([]), []);
      }));

    test('watch resumed from a resourceVersion replays every change after it, then continues live', () =>
      withStore(factory, async (store) => {
        const a = await store.create(broker('ns', 'a'));
        const mark = a.metadata.resourceVersion;
        await store.create(broker('ns', 'b'));
        await store.replace({ ...a, spec: { v: 2 } });
        const controller = new AbortController();
        const watch = store.watch({ since: mark, signal: controller.signal });
        const later = store.create(broker('ns', 'c'));
        const events = await take(watch, 3);
        await later;
        assert.deepEqual(
          events.map((e) => `${e.type} ${e.object.metadata.name}`),
          ['ADDED b', 'MODIFIED a', 'ADDED c'],
        );
        controller.abort();
      }));

    test('a watch ends when its signal aborts', () =>
      withStore(factory, async (store) => {
        const controller = new AbortController();
        const watch = store.watch({ signal: controller.signal });
        const consumed = take(watch, 10);
        await store.create(broker('ns', 'a'));
        setTimeout(() => controller.abort(), 30);
        const events = await consumed;
        assert.deepEqual(summary(events).length, 1);
      }));

    if (factory.retainedChanges !== undefined) {
      const retained = factory.retainedChanges;
      test('watch from a resourceVersion older than the retained changes fails as too old (410 Gone)', () =>
        withStore(factory, async (store) => {
          for (let i = 0; i < retained + 2; i++) await store.create(broker('ns', `o${i}`));
          await assert.rejects(
            take(store.watch({ since: '0', signal: AbortSignal.timeout(2000) }), 1),
            (error) => {
              assert.equal((error as { code?: string }).code, 'MESH_RESOURCE_CONFLICT');
              assert.match((error as Error).message, /too old/);
              return true;
            },
          );
          const recent = String(Number(store.currentVersion()) - 1);
          const events = await take(store.watch({ since: recent, signal: AbortSignal.timeout(2000) }), 1);
          assert.equal(events[0]?.object.metadata.resourceVersion, store.currentVersion());
        }));
    }

    if (!factory.durable) return;

    test('durable: reopen keeps resources, their resourceVersions and the counter', () =>
      withStore(factory, async (store, reopen) => {
        const a = await store.create(broker('ns', 'a', { v: 1 }));
        await store.create(namespaceObject('ns'));
        await store.delete({ kind: 'Namespace', name: 'ns' });
        const version = store.currentVersion();
        const reopened = await reopen();
        assert.equal(reopened.currentVersion(), version);
        assert.deepEqual(await reopened.get({ kind: 'Broker', namespace: 'ns', name: 'a' }), a);
        assert.equal(await reopened.get({ kind: 'Namespace', name: 'ns' }), undefined);
        const b = await reopened.create(broker('ns', 'b'));
        assert.ok(Number(b.metadata.resourceVersion) > Number(version), 'versions keep increasing');
        const replaced = await reopened.replace({ ...a, spec: { v: 2 } });
        assert.ok(Number(replaced.metadata.resourceVersion) > Number(b.metadata.resourceVersion));
        await rejectsWithCode(reopened.replace({ ...a, spec: { v: 3 } }), 'MESH_RESOURCE_CONFLICT');
      }));

    test('durable: what writeMany stored is there after a reopen', () =>
      withStore(factory, async (store, reopen) => {
        const outcomes = await store.writeMany(
          ['a', 'b', 'c'].map((name) => ({ op: 'create' as const, object: broker('ns', name) })),
        );
        const version = store.currentVersion();
        const reopened = await reopen();
        assert.equal(reopened.currentVersion(), version);
        for (const outcome of outcomes) {
          assert.ok('object' in outcome);
          const { name } = outcome.object.metadata;
          assert.deepEqual(await reopened.get({ kind: 'Broker', namespace: 'ns', name }), outcome.object);
        }
      }));

    test('durable: a watch resumes across a reopen from a resourceVersion seen before it', () =>
      withStore(factory, async (store, reopen) => {
        const a = await store.create(broker('ns', 'a'));
        await store.create(broker('ns', 'b'));
        const reopened = await reopen();
        const events = await take(
          reopened.watch({ since: a.metadata.resourceVersion, signal: AbortSignal.timeout(2000) }),
          1,
        );
        assert.deepEqual(
          events.map((e) => `${e.type} ${e.object.metadata.name}`),
          ['ADDED b'],
        );
      }));
  });
}
