/**
 * Dead letter: a failure with no attempt left moves the event, annotated with Knative's `knativeerror*`
 * extensions, to the trigger's dead-letter queue, whose own loop delivers it to the sink. All or nothing:
 * the lease ends only once the append is stored.
 */
import { withAttributes } from '../../../core/cloudevents/index.js';
import { deadLetterExtensions } from '../../../core/delivery/index.js';
import type { MeshMetrics } from '../../metrics.js';
import { deadLetterQueueId } from '../../runtime-types.js';
import type { Step } from '../pipeline.js';

export function deadLetterStep(metrics: MeshMetrics): Step {
  return (next) => async (attempt) => {
    const delivery = await next(attempt);
    const { trigger, lease } = attempt;
    if (
      delivery.settlement !== undefined ||
      delivery.verdict === 'success' ||
      trigger.deadLetter === undefined
    )
      return delivery;
    const { outcome } = delivery;
    const annotated = withAttributes(lease.event, {
      ...deadLetterExtensions(attempt.destination.uri, outcome.result, outcome.responseBody),
    });
    const started = performance.now();
    await trigger.broker.store.append([{ event: annotated, queues: [deadLetterQueueId(trigger.uid)] }]);
    metrics.storeCommit(trigger.broker.backend, performance.now() - started);
    await lease.term();
    delivery.settlement = 'moved-to-dead-letter';
    return delivery;
  };
}
