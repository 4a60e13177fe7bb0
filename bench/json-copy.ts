// What copying a written object costs in admission: structuredClone against jsonCopy
// (src/core/resources/json-copy.ts), over 10,000 distinct triggers as apply -f sends them, alternating.
// Standalone: node --import tsx bench/json-copy.ts [rounds]
import { jsonCopy } from '../src/core/resources/json-copy.js';

const rounds = Number(process.argv[2] ?? 5);
const triggers = Array.from({ length: 10_000 }, (_, i) => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Trigger',
  metadata: { name: `t-${i}`, namespace: 'default', labels: { app: 'bench' } },
  spec: {
    broker: 'default',
    filter: { attributes: { type: `bench.t${i}` } },
    subscriber: { uri: `http://127.0.0.1:8080/t${i}` },
    delivery: { retry: 3, backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' },
  },
}));

let sink: unknown;
const usPerCopy = (copy: (value: unknown) => unknown): number => {
  const started = performance.now();
  for (const trigger of triggers) sink = copy(trigger);
  return ((performance.now() - started) * 1000) / triggers.length;
};
for (let round = 1; round <= rounds; round++) {
  const cloned = usPerCopy(structuredClone);
  const copied = usPerCopy(jsonCopy);
  console.log(
    `round ${round}: structuredClone ${cloned.toFixed(2)} us, jsonCopy ${copied.toFixed(2)} us a trigger ` +
      `(${(copied / cloned).toFixed(2)}x)`,
  );
}
if (sink === undefined) throw new Error('nothing copied');
