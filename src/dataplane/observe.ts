/**
 * Small pieces of what the mesh shows about itself: the per-trigger figures metrics read at each scrape,
 * Knative's `filter_type` label of a trigger, and the CESQL filter of a tail viewer.
 */
import { compileCesqlPredicate } from '../core/cesql/index.js';
import type { CloudEvent } from '../core/cloudevents/model.js';
import { MeshError } from '../core/errors.js';
import type { TriggerFilterSpec } from '../core/filters/index.js';
import type { TriggerStats } from './metrics.js';
import { deadLetterQueueId, type TriggerRuntime } from './runtime-types.js';

/** Attempts under way, and what the trigger's queues hold (when the backend can tell). */
export function statsOf(t: TriggerRuntime, now: number): TriggerStats {
  const queues: TriggerStats['queues'][number][] = [];
  const add = (queue: 'subscriber' | 'dead-letter', id: string): void => {
    const backlog = t.broker.store.queue(id).backlog?.();
    if (backlog === undefined) return;
    const oldest = backlog.oldestAppendedAt;
    queues.push({ queue, depth: backlog.depth, oldestAgeMs: oldest === undefined ? 0 : now - oldest });
  };
  add('subscriber', t.uid);
  if (t.deadLetter !== undefined) add('dead-letter', deadLetterQueueId(t.uid));
  return {
    namespace: t.namespace,
    broker: t.broker.name,
    trigger: t.name,
    inFlight: t.dispatcher.inFlight + (t.deadLetterDispatcher?.inFlight ?? 0),
    queues,
  };
}

/** Knative's `filter_type`: the value of a legacy `filter.attributes.type`, else `any`. */
export function filterTypeOf(filter: TriggerFilterSpec): string {
  return filter.filter?.attributes?.['type'] || 'any';
}

/** A tail viewer's CESQL filter; MESH_REQUEST_INVALID naming the problem when it does not compile. */
export function tailFilter(expression: string): (event: CloudEvent) => boolean {
  try {
    return compileCesqlPredicate(expression);
  } catch (error) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `filter: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
