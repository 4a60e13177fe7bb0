/**
 * The two delivery pipelines of a trigger, composed once from the steps in `steps/` (pipeline.ts): to the
 * subscriber (reply handling, retries, then the dead-letter queue) and from the dead-letter queue to the
 * sink (retries, then undeliverable). `extraSteps` wrap both, outermost, so rate limits, ordering or other
 * observers are added without editing a step.
 */
import type { Context } from '@opentelemetry/api';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { Lease } from '../../store/contracts.js';
import type { MeshMetrics } from '../metrics.js';
import type { BrokerRuntime, TriggerRuntime } from '../runtime-types.js';
import type { MeshTracing } from '../tracing.js';
import type { DeliveryLog } from './log.js';
import { compose, type Attempt, type Step } from './pipeline.js';
import type { Sender, Target } from './sender.js';
import { deadLetterStep } from './steps/dead-letter.js';
import { historyStep } from './steps/history.js';
import { logStep } from './steps/log.js';
import { metricsStep } from './steps/metrics.js';
import { replyStep } from './steps/reply.js';
import { retryStep } from './steps/retry.js';
import { sendThrough } from './steps/send.js';
import { settleStep } from './steps/settle.js';
import { tailStep } from './steps/tail.js';
import { timeoutStep } from './steps/timeout.js';
import { traceStep } from './steps/trace.js';

export interface DeliveryContext {
  readonly sender: Sender;
  readonly metrics: MeshMetrics;
  readonly tracing: MeshTracing;
  readonly log: DeliveryLog;
  readonly ingestReply: (
    broker: BrokerRuntime,
    events: readonly CloudEvent[],
    ttl: number,
    parent: Context | undefined,
    from?: { readonly namespace: string; readonly name: string },
  ) => Promise<void>;
  readonly onError: (error: unknown, context: string) => void;
  /** Steps around both pipelines, outermost first. */
  readonly extraSteps?: readonly Step[];
}

export interface Deliverer {
  toSubscriber(trigger: TriggerRuntime, lease: Lease): Promise<void>;
  toDeadLetterSink(trigger: TriggerRuntime, lease: Lease): Promise<void>;
}

export function createDeliverer(ctx: DeliveryContext): Deliverer {
  const send = sendThrough(ctx.sender);
  const observed = [
    ...(ctx.extraSteps ?? []),
    metricsStep(ctx.metrics),
    historyStep(),
    logStep(ctx.log),
    tailStep,
  ];
  const replies = replyStep({
    metrics: ctx.metrics,
    tracing: ctx.tracing,
    ingest: ctx.ingestReply,
    onError: ctx.onError,
  });
  const retry = retryStep();
  const trace = traceStep(ctx.tracing);
  const subscriber = compose(send, [
    ...observed,
    settleStep('delivered'),
    deadLetterStep(ctx.metrics),
    retry,
    trace,
    replies,
    timeoutStep,
  ]);
  const sink = compose(send, [...observed, settleStep('dead-lettered'), retry, trace, timeoutStep]);
  const done = (): void => undefined;

  return {
    toSubscriber: (trigger, lease) =>
      subscriber(attemptOf(trigger, lease, 'subscriber', trigger.subscriber)).then(done),
    async toDeadLetterSink(trigger, lease) {
      if (trigger.deadLetter === undefined) {
        // The sink was removed from the trigger after the event was dead-lettered: nowhere left to send it.
        await lease.term();
        sinkRemoved(ctx, trigger, lease);
        return;
      }
      await sink(attemptOf(trigger, lease, 'dead-letter', trigger.deadLetter));
    },
  };
}

function attemptOf(
  trigger: TriggerRuntime,
  lease: Lease,
  target: Attempt['target'],
  destination: Target,
): Attempt {
  return {
    trigger,
    lease,
    target,
    destination,
    headers: target === 'subscriber' ? trigger.subscriberHeaders : trigger.deadLetterHeaders,
    timeoutMs: trigger.policy.timeoutMs,
    span: undefined,
  };
}

function sinkRemoved(ctx: DeliveryContext, trigger: TriggerRuntime, lease: Lease): void {
  trigger.broker.history.outcome(
    { source: String(lease.event.attributes['source']), id: String(lease.event.attributes['id']) },
    trigger.name,
    'undeliverable',
  );
  ctx.metrics.deliveryOutcome(trigger.namespace, trigger.name, 'undeliverable');
  ctx.log.undeliverable(trigger, lease.event, undefined);
  const { tail } = trigger.broker;
  if (tail.active) {
    tail.publishOutcome(lease.event, {
      trigger: trigger.name,
      outcome: 'undeliverable',
      // No attempt was made.
      attempt: 0,
      target: 'dead-letter',
    });
  }
}
