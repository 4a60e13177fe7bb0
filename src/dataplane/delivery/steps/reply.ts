/**
 * Reply handling: a 2xx answer other than 202 that is a CloudEvent is a reply (ARCHITECTURE 3), stored in
 * the trigger's broker with TTL - 1 before the delivery is acked. A reply that is too large, not a valid
 * CloudEvent, out of TTL or not storable is dropped and counted; the delivery itself still succeeded.
 */
import type { Context } from '@opentelemetry/api';
import { decodeHttpRequest } from '../../../core/cloudevents/index.js';
import { DEFAULT_TTL, TTL_EXTENSION, type CloudEvent } from '../../../core/cloudevents/model.js';
import type { MeshMetrics } from '../../metrics.js';
import type { BrokerRuntime } from '../../runtime-types.js';
import { endSpan, type MeshTracing } from '../../tracing.js';
import type { Attempt, Step } from '../pipeline.js';
import { MAX_RESPONSE_BYTES, type SendOutcome } from '../sender.js';

export interface ReplyContext {
  readonly metrics: MeshMetrics;
  readonly tracing: MeshTracing;
  readonly ingest: (
    broker: BrokerRuntime,
    events: readonly CloudEvent[],
    ttl: number,
    parent: Context | undefined,
    /** The trigger whose subscriber replied: the sender the replies are authorized as. */
    from?: { readonly namespace: string; readonly name: string },
  ) => Promise<void>;
  readonly onError: (error: unknown, context: string) => void;
}

export function replyStep(ctx: ReplyContext): Step {
  return (next) => async (attempt) => {
    const delivery = await next(attempt);
    if (delivery.verdict === 'success' && delivery.outcome.responseBody !== undefined)
      await handleReply(ctx, attempt, delivery.outcome);
    return delivery;
  };
}

async function handleReply(ctx: ReplyContext, attempt: Attempt, outcome: SendOutcome): Promise<void> {
  const { trigger, lease, destination } = attempt;
  if (!outcome.responseHeaders || !outcome.responseBody) return;
  const span = ctx.tracing.reply(`reply ${trigger.namespace}/${trigger.name}`, attempt.span, {
    'cemesh.namespace': trigger.namespace,
    'cemesh.trigger': trigger.name,
  });
  const drop = (reason: 'too-large' | 'invalid' | 'ttl' | 'store', why: string, error?: unknown): void => {
    ctx.metrics.replyDropped(reason);
    if (error !== undefined) ctx.onError(error, `reply from ${destination.uri} ${why}`);
    endSpan(span, why);
  };
  if (outcome.responseTruncated) {
    drop('too-large', 'was dropped', new Error(`larger than ${MAX_RESPONSE_BYTES} bytes`));
    return;
  }
  let replies: readonly CloudEvent[];
  try {
    replies = decodeHttpRequest(outcome.responseHeaders, outcome.responseBody).events;
  } catch (error) {
    drop('invalid', 'is not a valid CloudEvent', error);
    return;
  }
  const ttl = ttlOf(lease.event) - 1;
  if (ttl <= 0) {
    drop('ttl', 'ttl exhausted');
    return;
  }
  try {
    await ctx.ingest(trigger.broker, replies, ttl, ctx.tracing.replyParent(span, lease.event), trigger);
    ctx.metrics.replyIngested(trigger.namespace, trigger.broker.name);
    endSpan(span);
  } catch (error) {
    drop('store', 'could not be stored', error);
  }
}

/** The event's `knativebrokerttl`, or the default when absent or not an integer. */
export function ttlOf(event: CloudEvent): number {
  const value = event.attributes[TTL_EXTENSION];
  const ttl = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(ttl) ? ttl : DEFAULT_TTL;
}
