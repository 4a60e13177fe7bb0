// What admitting one written trigger costs the server, step by step: validation (schema walk and the
// trigger's own checks), then defaults, then all of admitCreate (validation, defaults, system metadata), and
// admitUpdate of a changed spec over a stored trigger with a status, over 10,000 distinct triggers as
// `apply -f` sends them. Microseconds per trigger; run on two trees to compare.
// Standalone: node --import tsx bench/admission.ts [rounds]
import { admitCreate, admitUpdate } from '../src/controlplane/api/admission.js';
import { defaultResource, validateResource } from '../src/core/resources/index.js';
import type { Resource } from '../src/core/resources/object.js';

const rounds = Number(process.argv[2] ?? 5);
const COUNT = 10_000;

function written(i: number): Resource {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: `t${i}`, namespace: 'default' },
      spec: {
        broker: 'default',
        filters: [{ exact: { type: `bench.type.${i}` } }],
        subscriber: { uri: 'http://127.0.0.1:9/' },
      },
    }),
  ) as Resource;
}

let sink: unknown;
function usPer(step: (object: Resource, index: number) => unknown): number {
  const objects = Array.from({ length: COUNT }, (_, i) => written(i));
  const started = performance.now();
  for (const [index, object] of objects.entries()) sink = step(object, index);
  return ((performance.now() - started) * 1000) / COUNT;
}

const now = new Date();
// What the store holds for a trigger: admitted, with a resourceVersion and a status, frozen.
const storedOf = (i: number): Resource =>
  Object.freeze({
    ...admitCreate(written(i), now),
    status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] },
  }) as Resource;
const stored = Array.from({ length: COUNT }, (_, i) => storedOf(i));
for (let round = 1; round <= rounds; round++) {
  const validated = usPer(validateResource);
  const defaulted = usPer(defaultResource);
  const admitted = usPer((object) => admitCreate(object, now));
  const updated = usPer((object, i) => {
    (object.spec as Record<string, unknown>).subscriber = { uri: 'http://127.0.0.1:10/' };
    return admitUpdate(stored[i]!, object);
  });
  console.log(
    `round ${round}: validate ${validated.toFixed(2)} us, defaults ${defaulted.toFixed(2)} us, ` +
      `admitCreate ${admitted.toFixed(2)} us, admitUpdate ${updated.toFixed(2)} us a trigger`,
  );
}
void sink;
