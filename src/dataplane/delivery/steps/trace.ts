/**
 * Tracing: a CLIENT span per attempt, child of the event's stored trace, whose W3C headers go out with the
 * request; it ends when the attempt (and the reply it brought) is handled, with an error status on failure.
 */
import { endSpan, NO_HEADERS, propagatedHeaders, type MeshTracing } from '../../tracing.js';
import { resultText, type Step } from '../pipeline.js';

export function traceStep(tracing: MeshTracing): Step {
  // Off (fixed for the server's life), an attempt has no span to end: the step only passes the event's
  // stored trace context on, without an async layer, a span name or attributes per delivery (allocation per
  // event is what sets how often the young generation is collected: BENCHMARKS.md).
  if (tracing.tracer === undefined) {
    return (next) => (attempt) => {
      const headers = propagatedHeaders(attempt.lease.event);
      if (headers !== NO_HEADERS) attempt.headers = Object.assign({}, attempt.headers, headers);
      return next(attempt);
    };
  }
  return (next) => async (attempt) => {
    const { trigger, lease, target } = attempt;
    const traced = tracing.attempt(
      `${target === 'subscriber' ? 'deliver' : 'dead-letter'} ${trigger.namespace}/${trigger.name}`,
      lease.event,
      {
        'cemesh.namespace': trigger.namespace,
        'cemesh.broker': trigger.broker.name,
        'cemesh.trigger': trigger.name,
        'cemesh.attempt': lease.attempt,
        'url.full': attempt.destination.uri,
      },
    );
    // Object.assign on a new empty object, not a spread: a spread here was allocated straight into the old
    // generation once V8 saw such objects live long (sender.ts says what that cost).
    if (traced.headers !== NO_HEADERS) attempt.headers = Object.assign({}, attempt.headers, traced.headers);
    attempt.span = traced.span;
    const delivery = await next(attempt);
    const { result } = delivery.outcome;
    if (result.kind === 'response') traced.span?.setAttribute('http.response.status_code', result.status);
    endSpan(traced.span, delivery.verdict === 'success' ? undefined : resultText(delivery.outcome));
    return delivery;
  };
}
