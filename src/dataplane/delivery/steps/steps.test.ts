// Each delivery step on its own, around a fake `send`, with a fake lease that records how it was settled.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloudEvent } from '../../../core/cloudevents/model.js';
import {
  compileDeliveryPolicy,
  type AttemptResult,
  type DeliverySpec,
} from '../../../core/delivery/index.js';
import type { Lease } from '../../../store/contracts.js';
import { brokerHistoryIn, DeliveryHistory } from '../../history.js';
import { noMetrics, type MeshMetrics } from '../../metrics.js';
import type { BrokerRuntime, TriggerRuntime } from '../../runtime-types.js';
import { tracingOff } from '../../tracing.js';
import { compose, type Attempt, type Delivery, type Send, type Step } from '../pipeline.js';
import { parseTarget, type SendOutcome } from '../sender.js';
import { deadLetterStep } from './dead-letter.js';
import { historyObserver } from './history.js';
import { metricsObserver } from './metrics.js';
import { observeStep } from './observe.js';
import { replyStep, ttlOf } from './reply.js';
import { retryStep } from './retry.js';
import { settleStep } from './settle.js';
import { timeoutStep } from './timeout.js';

const event: CloudEvent = {
  attributes: { specversion: '1.0', id: 'e1', source: '/s', type: 't', knativebrokerttl: 5 },
} as unknown as CloudEvent;

interface FakeLease extends Lease {
  readonly settled: string[];
}

function fakeLease(attempt = 1): FakeLease {
  const settled: string[] = [];
  return {
    event,
    seq: 1,
    appendedAt: 0,
    attempt,
    settled,
    ack: async () => void settled.push('ack'),
    nak: async (ms) => void settled.push(`nak ${ms}`),
    term: async () => void settled.push('term'),
  };
}

const appended: { event: CloudEvent; queues: readonly string[] }[] = [];
const broker = {
  namespace: 'ns',
  name: 'default',
  store: { append: async (items: typeof appended) => void appended.push(...items) },
} as unknown as BrokerRuntime;

function trigger(delivery: DeliverySpec = {}, withSink = false): TriggerRuntime {
  return {
    uid: 'u1',
    namespace: 'ns',
    name: 'tr',
    broker,
    subscriber: parseTarget('http://sub.example/'),
    deadLetter: withSink ? parseTarget('http://dls.example/') : undefined,
    policy: compileDeliveryPolicy(delivery),
    filterType: 'any',
    subscriberHeaders: {},
    deadLetterHeaders: {},
  } as unknown as TriggerRuntime;
}

function attemptOf(t: TriggerRuntime, lease: Lease): Attempt {
  return {
    trigger: t,
    lease,
    target: 'subscriber',
    destination: t.subscriber,
    headers: {},
    timeoutMs: 0,
    span: undefined,
  };
}

const response = (status: number, extra: Partial<SendOutcome> = {}): SendOutcome => ({
  result: { kind: 'response', status },
  durationMs: 3,
  ...extra,
});

/** A `send` answering with `outcome`, classified as the real one classifies. */
function answering(outcome: SendOutcome, seen: Attempt[] = []): Send {
  return async (attempt) => {
    seen.push(attempt);
    const { result } = outcome;
    const verdict =
      result.kind === 'response' && result.status >= 200 && result.status < 300
        ? 'success'
        : result.kind === 'response' && result.status === 400
          ? 'fail'
          : 'retry';
    return { outcome, verdict, settlement: undefined, retryInMs: undefined } satisfies Delivery;
  };
}

async function run(steps: Step[], outcome: SendOutcome, t = trigger(), lease = fakeLease()) {
  const seen: Attempt[] = [];
  const delivery = await compose(answering(outcome, seen), steps)(attemptOf(t, lease));
  return { delivery, lease, seen };
}

describe('compose', () => {
  test('the first step is the outermost: it sees the attempt first and the delivery last', async () => {
    const order: string[] = [];
    const tag =
      (name: string): Step =>
      (next) =>
      async (attempt) => {
        order.push(`in ${name}`);
        const delivery = await next(attempt);
        order.push(`out ${name}`);
        return delivery;
      };
    await run([tag('a'), tag('b')], response(200));
    assert.deepEqual(order, ['in a', 'in b', 'out b', 'out a']);
  });
});

describe('timeout', () => {
  test("the attempt carries the trigger's delivery.timeout to send", async () => {
    const { seen } = await run([timeoutStep], response(200), trigger({ timeout: 'PT2.5S' }));
    assert.equal(seen[0]?.timeoutMs, 2500);
  });
});

describe('retry with backoff', () => {
  const spec: DeliverySpec = { retry: 2, backoffPolicy: 'exponential', backoffDelay: 'PT1S' };
  const cases: [string, SendOutcome, number, string[], string | undefined][] = [
    // Knative's exponential backoff waits backoffDelay * 2^n before retry n.
    [
      'a 503 on the first attempt is naked after the backoff delay',
      response(503),
      1,
      ['nak 2000'],
      'retrying',
    ],
    ['the second failure waits twice as long (exponential)', response(503), 2, ['nak 4000'], 'retrying'],
    ['after the last attempt nothing is settled here', response(503), 3, [], undefined],
    ['a 400 is not retried', response(400), 1, [], undefined],
    ['a success passes through', response(200), 1, [], undefined],
  ];
  for (const [name, outcome, attempt, settled, settlement] of cases) {
    test(name, async () => {
      const { delivery, lease } = await run([retryStep(() => 0)], outcome, trigger(spec), fakeLease(attempt));
      assert.deepEqual(lease.settled, settled);
      assert.equal(delivery.settlement, settlement);
    });
  }
  test('a timeout is retried', async () => {
    const timeout: SendOutcome = { result: { kind: 'timeout' } as AttemptResult, durationMs: 9 };
    const { delivery } = await run([retryStep(() => 0)], timeout, trigger(spec));
    assert.equal(delivery.retryInMs, 2000);
  });
});

describe('dead letter', () => {
  test('a failure with no attempt left moves the annotated event to the dead-letter queue', async () => {
    appended.length = 0;
    const { delivery, lease } = await run([deadLetterStep(noMetrics)], response(500), trigger({}, true));
    assert.deepEqual(lease.settled, ['term']);
    assert.equal(delivery.settlement, 'moved-to-dead-letter');
    assert.deepEqual(appended[0]?.queues, ['u1/dls']);
    assert.equal(appended[0]?.event.attributes['knativeerrorcode'], '500');
    assert.equal(appended[0]?.event.attributes['knativeerrordest'], 'http://sub.example/');
  });
  test('without a sink, or on success, it does nothing', async () => {
    appended.length = 0;
    assert.equal((await run([deadLetterStep(noMetrics)], response(500))).delivery.settlement, undefined);
    assert.equal(
      (await run([deadLetterStep(noMetrics)], response(200), trigger({}, true))).delivery.settlement,
      undefined,
    );
    assert.equal(appended.length, 0);
  });
  test('a delivery a retry settled is left alone', async () => {
    appended.length = 0;
    const { lease } = await run(
      [deadLetterStep(noMetrics), retryStep()],
      response(503),
      trigger({ retry: 1 }, true),
    );
    assert.equal(lease.settled.length, 1);
    assert.match(lease.settled[0] ?? '', /^nak /);
    assert.equal(appended.length, 0);
  });
});

describe('settle', () => {
  test('a success is acked as delivered (subscriber) or dead-lettered (sink)', async () => {
    const subscriber = await run([settleStep('delivered')], response(202));
    assert.deepEqual(subscriber.lease.settled, ['ack']);
    assert.equal(subscriber.delivery.settlement, 'delivered');
    const sink = await run([settleStep('dead-lettered')], response(200));
    assert.equal(sink.delivery.settlement, 'dead-lettered');
  });
  test('an unsettled failure is terminated as undeliverable', async () => {
    const { lease, delivery } = await run([settleStep('delivered')], response(404));
    assert.deepEqual(lease.settled, ['term']);
    assert.equal(delivery.settlement, 'undeliverable');
  });
  test('what an inner step settled is not settled twice', async () => {
    const { lease } = await run([settleStep('delivered'), retryStep(() => 0)], response(503));
    assert.equal(lease.settled.length, 1);
  });
});

describe('reply', () => {
  const reply = (headers: Record<string, string>, body: string): SendOutcome =>
    response(200, { responseHeaders: headers, responseBody: Buffer.from(body) });
  const replyHeaders = { 'ce-specversion': '1.0', 'ce-id': 'r1', 'ce-source': '/r', 'ce-type': 'reply' };

  function context() {
    const ingested: { events: readonly CloudEvent[]; ttl: number }[] = [];
    const dropped: string[] = [];
    const metrics: MeshMetrics = { ...noMetrics, replyDropped: (reason) => void dropped.push(reason) };
    const step = replyStep({
      metrics,
      tracing: tracingOff,
      ingest: async (_broker, events, ttl) => void ingested.push({ events, ttl }),
      onError: () => undefined,
    });
    return { step, ingested, dropped };
  }

  test('a CloudEvent answer is stored in the broker with TTL - 1', async () => {
    const { step, ingested } = context();
    await run([step], reply(replyHeaders, ''));
    assert.equal(ingested[0]?.events[0]?.attributes['id'], 'r1');
    assert.equal(ingested[0]?.ttl, 4);
  });
  test('a reply that is not a valid CloudEvent is dropped and counted', async () => {
    const { step, ingested, dropped } = context();
    await run([step], reply({ 'ce-specversion': '1.0' }, ''));
    assert.deepEqual([ingested.length, dropped], [0, ['invalid']]);
  });
  test('a truncated reply is dropped as too large', async () => {
    const { step, dropped } = context();
    await run([step], { ...reply(replyHeaders, 'x'), responseTruncated: true });
    assert.deepEqual(dropped, ['too-large']);
  });
  test('TTL ends loops: an event at TTL 1 gets no reply stored', () => {
    assert.equal(ttlOf({ attributes: { knativebrokerttl: '1' } } as unknown as CloudEvent), 1);
    assert.equal(ttlOf({ attributes: {} } as unknown as CloudEvent), 255);
  });
});

describe('observe', () => {
  test('each observer sees the settled delivery once, in order, after one await of the steps inside', async () => {
    const seen: string[] = [];
    const observe = observeStep(
      [
        (a, d, at) => void seen.push(`first ${a.target} ${d.settlement} ${at}`),
        (_a, d) => void seen.push(`second ${d.verdict}`),
      ],
      () => 7,
    );
    await run(
      [observe, settleStep('delivered'), retryStep()],
      response(202),
      trigger({ retry: 1 }),
      fakeLease(1),
    );
    assert.deepEqual(seen, ['first subscriber delivered 7', 'second success']);
  });
  test('a failing inner step rejects without any observer running', async () => {
    const seen: string[] = [];
    const observe = observeStep([() => void seen.push('observed')]);
    const failing: Step = () => () => Promise.reject(new Error('store down'));
    await assert.rejects(
      run([observe, failing], response(202), trigger({ retry: 1 }), fakeLease(1)),
      /store down/,
    );
    assert.deepEqual(seen, []);
  });
});

describe('history and metrics', () => {
  test('each attempt and the final outcome are recorded; a retry counts as scheduled, not as an outcome', async () => {
    const history = new DeliveryHistory();
    history.accepted({
      namespace: 'ns',
      broker: 'default',
      source: '/s',
      id: 'e1',
      type: 't',
      acceptedAt: new Date(0).toISOString(),
      triggers: ['tr'],
    });
    const counted: string[] = [];
    const metrics: MeshMetrics = {
      ...noMetrics,
      deliveryAttempt: (_trigger, _type, status) => void counted.push(`attempt ${status}`),
      retryScheduled: () => void counted.push('retry'),
      deliveryOutcome: (_ns, _t, outcome) => void counted.push(outcome),
    };
    const observe = observeStep([historyObserver, metricsObserver(metrics)], () => 42);
    const steps = [observe, settleStep('delivered'), retryStep()];
    const recorded = {
      ...trigger({ retry: 1 }),
      broker: { ...broker, history: brokerHistoryIn(history, 'ns', 'default') },
    } as TriggerRuntime;
    await run(steps, response(503), recorded, fakeLease(1));
    await run(steps, response(202), recorded, fakeLease(2));
    assert.deepEqual(counted, ['attempt 503', 'retry', 'attempt 202', 'delivered']);
    const record = history.query({ namespace: 'ns', broker: 'default', id: 'e1' })[0];
    const delivery = record?.triggers['tr'];
    assert.equal(delivery?.outcome, 'delivered');
    assert.deepEqual(
      delivery?.attempts.map((a) => [a.attempt, a.status, a.at]),
      [
        [1, 503, new Date(42).toISOString()],
        [2, 202, new Date(42).toISOString()],
      ],
    );
  });
});
