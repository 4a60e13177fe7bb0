/**
 * One delivery attempt for one lease: send, then settle the lease by the outcome. Retries are naks with
 * the policy's wait; after the last attempt the event moves to the trigger's dead-letter queue, or is
 * recorded as undeliverable. A 2xx (not 202) CloudEvent response is a reply, re-ingested with TTL - 1.
 */
import type { Context, Span } from '@opentelemetry/api';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { DEFAULT_TTL, TTL_EXTENSION } from '../../core/cloudevents/model.js';
import { decodeHttpRequest, withAttributes } from '../../core/cloudevents/index.js';
import {
  classifyAttempt,
  deadLetterExtensions,
  nextAttemptDelayMs,
  type AttemptResult,
} from '../../core/delivery/index.js';
import type { Lease } from '../../store/contracts.js';
import type { DeliveryHistory, TriggerDelivery } from '../history.js';
import type { MeshMetrics } from '../metrics.js';
import { deadLetterQueueId, type BrokerRuntime, type TriggerRuntime } from '../runtime-types.js';
import { endSpan, NO_HEADERS, type MeshTracing } from '../tracing.js';
import type { TailOutcome } from '../tail.js';
import type { AttemptFacts, DeliveryLog } from './log.js';
import { MAX_RESPONSE_BYTES, type Sender, type SendOutcome, type Target } from './sender.js';

export interface AttemptContext {
  readonly sender: Sender;
  readonly history: DeliveryHistory;
  readonly metrics: MeshMetrics;
  readonly tracing: MeshTracing;
  readonly log: DeliveryLog;
  readonly ingestReply: (
    broker: BrokerRuntime,
    events: readonly CloudEvent[],
    ttl: number,
    parent: Context | undefined,
  ) => Promise<void>;
  readonly onError: (error: unknown, context: string) => void;
}

export async function deliverToSubscriber(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  lease: Lease,
): Promise<void> {
  const { event } = lease;
  const record = historyOf(ctx, trigger, event);
  const { outcome, span } = await attempt(ctx, trigger, trigger.subscriber, lease, 'subscriber', record);
  const verdict = classifyAttempt(outcome.result);
  const facts = factsOf(lease, outcome, 'subscriber');
  if (verdict === 'success') {
    if (outcome.responseBody) await handleReply(ctx, trigger, event, outcome, span);
    endSpan(span);
    await lease.ack();
    finish(ctx, trigger, record, 'delivered');
    ctx.log.delivered(trigger, event, facts);
    tell(trigger, event, 'delivered', facts);
    return;
  }
  endSpan(span, facts.result);
  if (await retryLater(ctx, trigger, lease, outcome.result, verdict, facts)) return;
  if (trigger.deadLetter) {
    const extensions = {
      ...deadLetterExtensions(trigger.subscriber.uri, outcome.result, outcome.responseBody),
    };
    const annotated = withAttributes(event, extensions);
    const started = performance.now();
    await trigger.broker.store.append([{ event: annotated, queues: [deadLetterQueueId(trigger.uid)] }]);
    ctx.metrics.storeCommit(trigger.broker.backend, performance.now() - started);
    await lease.term('dead-lettered');
    ctx.metrics.deadLettered(trigger.namespace, trigger.name);
    ctx.log.deadLettered(trigger, event, facts);
    tell(trigger, event, 'dead-lettered', facts);
    return;
  }
  await lease.term('undeliverable');
  finish(ctx, trigger, record, 'undeliverable');
  ctx.log.undeliverable(trigger, event, facts);
  tell(trigger, event, 'undeliverable', facts);
}

export async function deliverToDeadLetterSink(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  lease: Lease,
): Promise<void> {
  const record = historyOf(ctx, trigger, lease.event);
  const sink = trigger.deadLetter;
  if (!sink) {
    // The sink was removed from the trigger after the event was dead-lettered: nowhere left to send it.
    await lease.term('undeliverable');
    finish(ctx, trigger, record, 'undeliverable');
    ctx.log.undeliverable(trigger, lease.event, undefined);
    tell(trigger, lease.event, 'undeliverable', undefined);
    return;
  }
  const { outcome, span } = await attempt(ctx, trigger, sink, lease, 'dead-letter', record);
  const verdict = classifyAttempt(outcome.result);
  const facts = factsOf(lease, outcome, 'dead-letter');
  endSpan(span, verdict === 'success' ? undefined : facts.result);
  if (verdict === 'success') {
    await lease.ack();
    finish(ctx, trigger, record, 'dead-lettered');
    ctx.log.delivered(trigger, lease.event, facts);
    tell(trigger, lease.event, 'delivered', facts);
    return;
  }
  if (await retryLater(ctx, trigger, lease, outcome.result, verdict, facts)) return;
  await lease.term('undeliverable');
  finish(ctx, trigger, record, 'undeliverable');
  ctx.log.undeliverable(trigger, lease.event, facts);
  tell(trigger, lease.event, 'undeliverable', facts);
}

async function attempt(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  target: Target,
  lease: Lease,
  kind: 'subscriber' | 'dead-letter',
  record: TriggerDelivery | undefined,
): Promise<{ outcome: SendOutcome; span: Span | undefined }> {
  const { policy } = trigger;
  const at = Date.now();
  const headers = kind === 'subscriber' ? trigger.subscriberHeaders : trigger.deadLetterHeaders;
  const traced = ctx.tracing.attempt(
    `${kind === 'subscriber' ? 'deliver' : 'dead-letter'} ${trigger.namespace}/${trigger.name}`,
    lease.event,
    {
      'cemesh.namespace': trigger.namespace,
      'cemesh.broker': trigger.broker.name,
      'cemesh.trigger': trigger.name,
      'cemesh.attempt': lease.attempt,
      'url.full': target.uri,
    },
  );
  const outcome = await ctx.sender.send(target, lease.event, {
    timeoutMs: policy.timeoutMs,
    format: policy.format,
    headers: traced.headers === NO_HEADERS ? headers : { ...headers, ...traced.headers },
  });
  const { result } = outcome;
  if (result.kind === 'response') traced.span?.setAttribute('http.response.status_code', result.status);
  ctx.metrics.deliveryAttempt({
    namespace: trigger.namespace,
    broker: trigger.broker.name,
    trigger: trigger.name,
    eventType: String(lease.event.attributes['type']),
    filterType: trigger.filterType,
    status: result.kind === 'response' ? result.status : result.kind,
    durationMs: outcome.durationMs,
  });
  record?.attempt({
    at,
    attempt: lease.attempt,
    target: kind,
    uri: target.uri,
    ...(result.kind === 'response'
      ? { status: result.status }
      : { error: result.kind === 'timeout' ? 'timeout' : result.message }),
    durationMs: outcome.durationMs,
  });
  return { outcome, span: traced.span };
}

/** What the logs and span status say of an attempt. */
function factsOf(lease: Lease, outcome: SendOutcome, target: 'subscriber' | 'dead-letter'): AttemptFacts {
  const { result } = outcome;
  return {
    attempt: lease.attempt,
    target,
    result:
      result.kind === 'response'
        ? `HTTP ${result.status}`
        : result.kind === 'timeout'
          ? 'timeout'
          : result.message,
  };
}

/** Naks the lease when the policy allows another attempt; false when none is left. Logs the failure. */
async function retryLater(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  lease: Lease,
  result: AttemptResult,
  verdict: 'retry' | 'fail',
  facts: AttemptFacts,
): Promise<boolean> {
  const delay =
    verdict === 'retry' ? nextAttemptDelayMs(trigger.policy, lease.attempt, result, Date.now()) : undefined;
  ctx.log.failed(trigger, lease.event, facts, delay);
  if (delay === undefined) return false;
  await lease.nak(delay);
  ctx.metrics.retryScheduled(trigger.namespace, trigger.name);
  tell(trigger, lease.event, 'retrying', facts);
  return true;
}

/** Shows a delivery's outcome to the broker's tail viewers, when there are any. */
function tell(
  trigger: TriggerRuntime,
  event: CloudEvent,
  outcome: TailOutcome['outcome'],
  facts: AttemptFacts | undefined,
): void {
  const { tail } = trigger.broker;
  if (!tail.active) return;
  tail.publishOutcome(event, {
    trigger: trigger.name,
    outcome,
    attempt: facts?.attempt ?? 0,
    target: facts?.target ?? 'dead-letter',
    ...(facts === undefined ? {} : { result: facts.result }),
  });
}

async function handleReply(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  event: CloudEvent,
  outcome: SendOutcome,
  attemptSpan: Span | undefined,
): Promise<void> {
  if (!outcome.responseHeaders || !outcome.responseBody) return;
  const span = ctx.tracing.reply(`reply ${trigger.namespace}/${trigger.name}`, attemptSpan, {
    'cemesh.namespace': trigger.namespace,
    'cemesh.trigger': trigger.name,
  });
  if (outcome.responseTruncated) {
    ctx.metrics.replyDropped('too-large');
    ctx.onError(
      new Error(`larger than ${MAX_RESPONSE_BYTES} bytes`),
      `reply from ${trigger.subscriber.uri} was dropped`,
    );
    endSpan(span, 'reply too large');
    return;
  }
  let replies: readonly CloudEvent[];
  try {
    replies = decodeHttpRequest(outcome.responseHeaders, outcome.responseBody).events;
  } catch (error) {
    ctx.metrics.replyDropped('invalid');
    ctx.onError(error, `reply from ${trigger.subscriber.uri} is not a valid CloudEvent`);
    endSpan(span, 'invalid reply');
    return;
  }
  const ttl = ttlOf(event) - 1;
  if (ttl <= 0) {
    ctx.metrics.replyDropped('ttl');
    endSpan(span, 'ttl exhausted');
    return;
  }
  try {
    await ctx.ingestReply(trigger.broker, replies, ttl, ctx.tracing.replyParent(span, event));
    ctx.metrics.replyIngested(trigger.namespace, trigger.broker.name);
    endSpan(span);
  } catch (error) {
    // The delivery itself succeeded; the reply is lost only if the broker cannot store it, and that is counted.
    ctx.metrics.replyDropped('store');
    ctx.onError(error, `reply from ${trigger.subscriber.uri} could not be stored`);
    endSpan(span, 'reply not stored');
  }
}

export function ttlOf(event: CloudEvent): number {
  const value = event.attributes[TTL_EXTENSION];
  const ttl = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(ttl) ? ttl : DEFAULT_TTL;
}

function finish(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  record: TriggerDelivery | undefined,
  outcome: 'delivered' | 'dead-lettered' | 'undeliverable',
): void {
  if (record) record.outcome = outcome;
  ctx.metrics.deliveryOutcome(trigger.namespace, trigger.name, outcome);
}

/** The history record of this delivery, looked up once per lease. */
function historyOf(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  event: CloudEvent,
): TriggerDelivery | undefined {
  const { broker } = trigger;
  return ctx.history.delivery(
    {
      namespace: broker.namespace,
      broker: broker.name,
      source: String(event.attributes['source']),
      id: String(event.attributes['id']),
    },
    trigger.name,
  );
}
