// What a trigger's conditions cost in its reconcile (src/core/resources/trigger/conditions.ts): the marks of a
// trigger whose broker, subscriber and dead-letter sink are all fine, for a new trigger (no conditions yet) and
// for one reconciled again (its stored conditions, frozen as the store keeps them). Microseconds per trigger,
// 10,000 distinct triggers a round. Run compiled for figures (tsx's keep-names slows closures):
//   npx tsc -p tsconfig.bench.json && node dist/bench/conditions.js [rounds]
import { triggerLifecycle } from '../src/core/resources/trigger/conditions.js';
import type { Condition } from '../src/core/resources/object.js';

const rounds = Number(process.argv[2] ?? 5);
const COUNT = 10_000;
const now = new Date().toISOString();

function reconcile(stored: readonly Condition[] | undefined): Condition[] {
  const lifecycle = triggerLifecycle(stored, now);
  lifecycle.markActive();
  lifecycle.markBrokerReady();
  lifecycle.markSubscriberResolved();
  lifecycle.markDeadLetterSinkNotConfigured();
  if (!lifecycle.isReady()) throw new Error('expected Ready');
  return lifecycle.conditions;
}

const stored = Array.from({ length: COUNT }, () =>
  Object.freeze(reconcile(undefined).map((c) => Object.freeze({ ...c }))),
);

function perTrigger(label: string, run: (i: number) => Condition[]): void {
  const started = process.hrtime.bigint();
  let conditions = 0;
  for (let i = 0; i < COUNT; i++) conditions += run(i).length;
  const us = Number(process.hrtime.bigint() - started) / 1000 / COUNT;
  console.log(`  ${label.padEnd(22)} ${us.toFixed(2)} us a trigger (${conditions / COUNT} conditions)`);
}

for (let round = 0; round < rounds; round++) {
  console.log(`round ${round + 1}`);
  perTrigger('new trigger', () => reconcile(undefined));
  perTrigger('reconciled again', (i) => reconcile(stored[i]));
}
