// The cost of delivery as composed steps, in process: one successful delivery through the subscriber
// pipeline (every step, with metrics, history, logs, tail and tracing off as in the default server) against
// the same fake send called alone, in alternating rounds of the same run; and the same pipeline recording into
// the server's Prometheus metrics (src/server/metrics.ts). Prints microseconds per delivery.
// node --import tsx bench/delivery-steps.ts
import { silentLogger } from '../src/core/logger.js';
import { compileDeliveryPolicy } from '../src/core/delivery/index.js';
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import type { Lease } from '../src/store/contracts.js';
import { createDeliverer } from '../src/dataplane/delivery/deliver.js';
import { DeliveryLog } from '../src/dataplane/delivery/log.js';
import { parseTarget, type Sender, type SendOutcome } from '../src/dataplane/delivery/sender.js';
import { brokerHistoryIn, DeliveryHistory } from '../src/dataplane/history.js';
import { noMetrics, type MeshMetrics } from '../src/dataplane/metrics.js';
import { createPromMetrics } from '../src/server/metrics.js';
import type { TriggerRuntime } from '../src/dataplane/runtime-types.js';
import { TailHub } from '../src/dataplane/tail.js';
import { tracingOff } from '../src/dataplane/tracing.js';

const outcome: SendOutcome = { result: { kind: 'response', status: 202 }, durationMs: 1 };
const sender: Sender = { send: () => Promise.resolve(outcome), close: async () => undefined };
const history = new DeliveryHistory();
const delivererWith = (metrics: MeshMetrics): ReturnType<typeof createDeliverer> =>
  createDeliverer({
    sender,
    metrics,
    tracing: tracingOff,
    log: new DeliveryLog(silentLogger),
    ingestReply: async () => undefined,
    onError: () => undefined,
  });
const deliverer = delivererWith(noMetrics);
const measured = delivererWith(createPromMetrics());
const trigger = {
  uid: 'u',
  namespace: 'ns',
  name: 't',
  broker: {
    namespace: 'ns',
    name: 'default',
    tail: new TailHub(),
    history: brokerHistoryIn(history, 'ns', 'default'),
  },
  subscriber: parseTarget('http://127.0.0.1:1/'),
  deadLetter: undefined,
  policy: compileDeliveryPolicy(undefined),
  filterType: 'any',
  subscriberHeaders: {},
  deadLetterHeaders: {},
} as unknown as TriggerRuntime;

function lease(i: number): Lease {
  const event = {
    attributes: { specversion: '1.0', id: `e${i}`, source: '/s', type: 't' },
  } as unknown as CloudEvent;
  return {
    event,
    seq: i,
    appendedAt: 0,
    attempt: 1,
    ack: async () => {},
    nak: async () => {},
    term: async () => {},
  };
}

const N = 200_000;
async function piped(through = deliverer): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < N; i++) await through.toSubscriber(trigger, lease(i));
  return ((performance.now() - start) * 1000) / N;
}
async function bare(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const l = lease(i);
    await sender.send(trigger.subscriber, l.event, { timeoutMs: 1, format: 'binary', headers: {} });
    await l.ack();
  }
  return ((performance.now() - start) * 1000) / N;
}

for (let r = 0; r < 9; r++) {
  const [b, p, m] = [await bare(), await piped(), await piped(measured)];
  console.log(
    `send + ack alone ${b.toFixed(2)} us, pipeline ${p.toFixed(2)} us, +${(p - b).toFixed(2)} us; ` +
      `with Prometheus metrics ${m.toFixed(2)} us, +${(m - p).toFixed(2)} us`,
  );
}
