/**
 * One delivery attempt for one lease: send, then settle the lease by the outcome. Retries are naks with
 * the policy's wait; after the last attempt the event moves to the trigger's dead-letter queue, or is
 * recorded as undeliverable. A 2xx (not 202) CloudEvent response is a reply, re-ingested with TTL - 1.
 */
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
import { MAX_RESPONSE_BYTES, type Sender, type SendOutcome, type Target } from './sender.js';

export interface AttemptContext {
  readonly sender: Sender;
  readonly history: DeliveryHistory;
  readonly metrics: MeshMetrics;
  readonly ingestReply: (broker: BrokerRuntime, events: readonly CloudEvent[], ttl: number) => Promise<void>;
  readonly onError: (error: unknown, context: string) => void;
}

export async function deliverToSubscriber(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  lease: Lease,
): Promise<void> {
  const { event } = lease;
  const record = historyOf(ctx, trigger, event);
  const outcome = await attempt(ctx, trigger, trigger.subscriber, lease, 'subscriber', record);
  const verdict = classifyAttempt(outcome.result);
  if (verdict === 'success') {
    if (outcome.responseBody) await handleReply(ctx, trigger, event, outcome);
    await lease.ack();
    finish(ctx, trigger, record, 'delivered');
    return;
  }
  if (await retryLater(trigger, lease, outcome.result, verdict)) return;
  if (trigger.deadLetter) {
    const extensions = {
      ...deadLetterExtensions(trigger.subscriber.uri, outcome.result, outcome.responseBody),
    };
    const annotated = withAttributes(event, extensions);
    await trigger.broker.store.append([{ event: annotated, queues: [deadLetterQueueId(trigger.uid)] }]);
    await lease.term('dead-lettered');
    return;
  }
  await lease.term('undeliverable');
  finish(ctx, trigger, record, 'undeliverable');
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
    return;
  }
  const outcome = await attempt(ctx, trigger, sink, lease, 'dead-letter', record);
  const verdict = classifyAttempt(outcome.result);
  if (verdict === 'success') {
    await lease.ack();
    finish(ctx, trigger, record, 'dead-lettered');
    return;
  }
  if (await retryLater(trigger, lease, outcome.result, verdict)) return;
  await lease.term('undeliverable');
  finish(ctx, trigger, record, 'undeliverable');
}

async function attempt(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  target: Target,
  lease: Lease,
  kind: 'subscriber' | 'dead-letter',
  record: TriggerDelivery | undefined,
): Promise<SendOutcome> {
  const { policy } = trigger;
  const at = Date.now();
  const outcome = await ctx.sender.send(target, lease.event, {
    timeoutMs: policy.timeoutMs,
    format: policy.format,
    headers: kind === 'subscriber' ? trigger.subscriberHeaders : trigger.deadLetterHeaders,
  });
  const { result } = outcome;
  const status = result.kind === 'response' ? String(result.status) : result.kind;
  ctx.metrics.deliveryAttempt(trigger.namespace, trigger.name, status, outcome.durationMs);
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
  return outcome;
}

/** Naks the lease when the policy allows another attempt; false when none is left. */
async function retryLater(
  trigger: TriggerRuntime,
  lease: Lease,
  result: AttemptResult,
  verdict: 'retry' | 'fail',
): Promise<boolean> {
  if (verdict !== 'retry') return false;
  const delay = nextAttemptDelayMs(trigger.policy, lease.attempt, result, Date.now());
  if (delay === undefined) return false;
  await lease.nak(delay);
  return true;
}

async function handleReply(
  ctx: AttemptContext,
  trigger: TriggerRuntime,
  event: CloudEvent,
  outcome: SendOutcome,
): Promise<void> {
  if (!outcome.responseHeaders || !outcome.responseBody) return;
  if (outcome.responseTruncated) {
    ctx.metrics.replyDropped('too-large');
    ctx.onError(
      new Error(`larger than ${MAX_RESPONSE_BYTES} bytes`),
      `reply from ${trigger.subscriber.uri} was dropped`,
    );
    return;
  }
  let replies: readonly CloudEvent[];
  try {
    replies = decodeHttpRequest(outcome.responseHeaders, outcome.responseBody).events;
  } catch (error) {
    ctx.metrics.replyDropped('invalid');
    ctx.onError(error, `reply from ${trigger.subscriber.uri} is not a valid CloudEvent`);
    return;
  }
  const ttl = ttlOf(event) - 1;
  if (ttl <= 0) {
    ctx.metrics.replyDropped('ttl');
    return;
  }
  try {
    await ctx.ingestReply(trigger.broker, replies, ttl);
    ctx.metrics.replyIngested(trigger.namespace, trigger.broker.name);
  } catch (error) {
    // The delivery itself succeeded; the reply is lost only if the broker cannot store it, and that is counted.
    ctx.metrics.replyDropped('store');
    ctx.onError(error, `reply from ${trigger.subscriber.uri} could not be stored`);
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
