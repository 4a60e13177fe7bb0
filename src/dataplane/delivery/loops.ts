/**
 * The two delivery loops of a trigger: one leases from its queue and delivers to the subscriber, the other
 * from its dead-letter queue to the sink. Both read the trigger's runtime entry on every lease, so a
 * changed trigger (policy, max in flight, targets) takes effect without a restart.
 */
import type { Logger } from '../../core/logger.js';
import { deadLetterQueueId, type BrokerRuntime, type TriggerRuntime } from '../runtime-types.js';
import { deliverToDeadLetterSink, deliverToSubscriber, type AttemptContext } from './attempt.js';
import { Dispatcher } from './dispatcher.js';

/** Extra lease time beyond the attempt timeout, so a slow but live attempt is not handed out twice. */
const LEASE_MARGIN_MS = 30_000;

export interface LoopTrigger {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly broker: BrokerRuntime;
}

/** `entry` is read on every delivery: the runtime entry may be built after its loops. */
export function deliveryLoop(
  context: { readonly attempts: AttemptContext; readonly logger: Logger },
  trigger: LoopTrigger,
  entry: () => TriggerRuntime,
  target: 'subscriber' | 'dead-letter',
): Dispatcher {
  return new Dispatcher({
    queue: trigger.broker.store.queue(target === 'subscriber' ? trigger.uid : deadLetterQueueId(trigger.uid)),
    handle: (lease) =>
      target === 'subscriber'
        ? deliverToSubscriber(context.attempts, entry(), lease)
        : deliverToDeadLetterSink(context.attempts, entry(), lease),
    maxInflight: () => entry().maxInflight,
    leaseMs: () => entry().policy.timeoutMs + LEASE_MARGIN_MS,
    onError: (error: unknown): void =>
      context.logger.error(
        { err: error, trigger: `${trigger.namespace}/${trigger.name}` },
        'delivery failed',
      ),
  });
}
