// What the resource store spends storing a written object (its frozen copy with the new resourceVersion):
// 10,000 triggers as admission hands them over, created through writeMany in chunks of 500 as the apply
// List does, then each replaced with a status as the reconciler writes it. Microseconds per object, a fresh
// store each round (the first rounds include V8 warming up). Run on two trees to compare them.
// Standalone: node --import tsx bench/resource-writes.ts [rounds]
import type { Resource } from '../src/core/resources/object.js';
import { VersionedResourceStore } from '../src/store/resources/versioned-store.js';

const rounds = Number(process.argv[2] ?? 5);
const COUNT = 10_000;
const CHUNK = 500;

function written(i: number): Resource {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: {
        name: `t${i}`,
        namespace: 'default',
        labels: { 'eventing.knative.dev/broker': 'default' },
        uid: `uid-${i}`,
        creationTimestamp: '2026-12-07T11:17:25Z',
        generation: 1,
      },
      spec: {
        broker: 'default',
        filters: [{ exact: { type: `bench.type.${i}` } }],
        subscriber: { uri: 'http://127.0.0.1:9/' },
      },
    }),
  ) as Resource;
}

const status = {
  observedGeneration: 1,
  conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-07T11:17:25.833Z' }],
};

for (let round = 1; round <= rounds; round++) {
  const store = new VersionedResourceStore();
  const objects = Array.from({ length: COUNT }, (_, i) => written(i));
  let started = performance.now();
  const stored: Resource[] = [];
  for (let at = 0; at < COUNT; at += CHUNK) {
    const outcomes = await store.writeMany(
      objects.slice(at, at + CHUNK).map((object) => ({ op: 'create', object })),
    );
    for (const outcome of outcomes) if ('object' in outcome) stored.push(outcome.object);
  }
  const createUs = ((performance.now() - started) * 1000) / COUNT;
  started = performance.now();
  for (let at = 0; at < COUNT; at += CHUNK) {
    const batch = stored
      .slice(at, at + CHUNK)
      .map((object) => ({ op: 'replace' as const, object: { ...object, status } as Resource }));
    await store.writeMany(batch);
  }
  const statusUs = ((performance.now() - started) * 1000) / COUNT;
  console.log(
    `round ${round}: create ${createUs.toFixed(2)} us, status write ${statusUs.toFixed(2)} us an object`,
  );
}
