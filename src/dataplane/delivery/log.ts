/**
 * The log lines of deliveries: failures and dead letters at warn, undeliverable events at error, successes
 * at debug. Each line names the trigger, the event and its trace id (from the event's `traceparent`), so a
 * line found in the logs leads to the trace and to `cemesh describe event`. Warnings and errors are rate
 * limited per trigger and kind: a subscriber that is down writes a few lines a second, not one per attempt.
 */
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { Logger } from '../../core/logger.js';
import { RateLimiter } from '../../core/rate-limit.js';
import type { TriggerRuntime } from '../runtime-types.js';
import { traceIdOf } from '../tracing.js';

export interface AttemptFacts {
  readonly attempt: number;
  /** HTTP status, `timeout` or the network error. */
  readonly result: string;
  readonly target: 'subscriber' | 'dead-letter';
}

export class DeliveryLog {
  private readonly limiter = new RateLimiter({ burst: 5, windowMs: 1000 });

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  delivered(trigger: TriggerRuntime, event: CloudEvent, facts: AttemptFacts): void {
    if (this.logger.isLevelEnabled?.('debug') !== true) return;
    this.logger.debug(fields(trigger, event, facts), 'delivered');
  }

  /** A failed attempt; `nextRetryMs` undefined when none follows. */
  failed(
    trigger: TriggerRuntime,
    event: CloudEvent,
    facts: AttemptFacts,
    nextRetryMs: number | undefined,
  ): void {
    const suppressed = this.limiter.take(`failed\0${trigger.uid}`, this.now());
    if (suppressed === undefined) return;
    this.logger.warn(
      {
        ...fields(trigger, event, facts),
        nextRetryMs: nextRetryMs ?? null,
        ...(suppressed > 0 ? { suppressed } : {}),
      },
      nextRetryMs === undefined ? 'delivery failed, no attempt left' : 'delivery failed, will retry',
    );
  }

  deadLettered(trigger: TriggerRuntime, event: CloudEvent, facts: AttemptFacts): void {
    const suppressed = this.limiter.take(`dead\0${trigger.uid}`, this.now());
    if (suppressed === undefined) return;
    this.logger.warn(
      { ...fields(trigger, event, facts), ...(suppressed > 0 ? { suppressed } : {}) },
      'event dead-lettered',
    );
  }

  undeliverable(trigger: TriggerRuntime, event: CloudEvent, facts: AttemptFacts | undefined): void {
    const suppressed = this.limiter.take(`lost\0${trigger.uid}`, this.now());
    if (suppressed === undefined) return;
    this.logger.error(
      {
        trigger: `${trigger.namespace}/${trigger.name}`,
        eventId: event.attributes['id'],
        source: event.attributes['source'],
        traceId: traceIdOf(event) ?? null,
        ...(facts === undefined ? {} : { attempt: facts.attempt, status: facts.result }),
        ...(suppressed > 0 ? { suppressed } : {}),
      },
      'event undeliverable: kept in the delivery history',
    );
  }
}

function fields(trigger: TriggerRuntime, event: CloudEvent, facts: AttemptFacts): Record<string, unknown> {
  return {
    trigger: `${trigger.namespace}/${trigger.name}`,
    eventId: event.attributes['id'],
    source: event.attributes['source'],
    attempt: facts.attempt,
    status: facts.result,
    target: facts.target,
    traceId: traceIdOf(event) ?? null,
  };
}
