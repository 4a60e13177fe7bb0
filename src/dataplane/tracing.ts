/**
 * W3C Trace Context through the mesh (https://www.w3.org/TR/trace-context/): where a trace enters (the
 * `traceparent`/`tracestate` HTTP headers, else the CloudEvents distributed-tracing extension of the same
 * names), the spans of ingress, routing, delivery attempts and replies, and what goes out to subscribers.
 *
 * The stored event carries its trace: routing writes the context of its span into the event's
 * `traceparent`/`tracestate` extensions (as Knative's broker ingress does), so a delivery, even after a
 * restart or on another replica, continues the same trace. A delivery sends the W3C headers of its own span
 * (the same trace, a new span id): a subscriber, or a hosted function, instrumented with OpenTelemetry
 * continues from there without reading the event.
 *
 * Without a tracer (no exporter configured) nothing is recorded and no span object is made: a trace a sender
 * started is still passed on unchanged (its `traceparent` header is copied into the event when the event has
 * none, and deliveries send the event's `traceparent` as the HTTP header).
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { CloudEvent } from '../core/cloudevents/model.js';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

const propagator = new W3CTraceContextPropagator();

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

const eventGetter: TextMapGetter<CloudEvent> = {
  keys: (event) => Object.keys(event.attributes),
  get: (event, key) => {
    const value = event.attributes[key];
    return typeof value === 'string' ? value : undefined;
  },
};

type Changes = Record<string, string | number | undefined>;

const recordSetter: TextMapSetter<Changes> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The trace context named by HTTP headers; undefined when there is no `traceparent` header. */
export function contextFromHeaders(headers: Headers): Context | undefined {
  if (headers[TRACEPARENT] === undefined) return undefined;
  return propagator.extract(ROOT_CONTEXT, headers, headerGetter);
}

/** The trace context an event's distributed-tracing extension names (ROOT_CONTEXT when none or invalid). */
export function contextFromEvent(event: CloudEvent): Context {
  return propagator.extract(ROOT_CONTEXT, event, eventGetter);
}

/** Writes the `traceparent` (and `tracestate`, when any) of a context into a record of attributes or headers. */
export function injectContext(context: Context, into: Changes): void {
  propagator.inject(context, into, recordSetter);
}

/** The trace id of an event's `traceparent` extension, for logs; undefined when it has none (or an invalid one). */
export function traceIdOf(event: CloudEvent): string | undefined {
  const span = trace.getSpanContext(contextFromEvent(event));
  return span === undefined ? undefined : span.traceId;
}

/** What a delivery attempt needs from tracing: extra headers, and the span to end with the attempt's result. */
export interface AttemptTrace {
  readonly headers: Readonly<Record<string, string>>;
  /** The attempt's span; undefined when tracing is off. */
  readonly span: Span | undefined;
}

/** Spans of the data plane. `tracer` undefined means tracing is off. */
export class MeshTracing {
  constructor(readonly tracer: Tracer | undefined) {}

  /**
   * Runs `store` in a SERVER span for a request whose events were already read (the gateway): its parent is
   * the request's `traceparent` header, else the first event's extension; `store` gets the context to pass
   * to `Mesh.ingest`. Off, it gets the header's context (or none) and no span is made.
   */
  async serve<T>(
    name: string,
    headers: Headers,
    first: CloudEvent | undefined,
    attributes: Attributes,
    store: (parent: Context | undefined) => Promise<T>,
  ): Promise<T> {
    const parent = contextFromHeaders(headers);
    if (this.tracer === undefined) return store(parent);
    const span = this.request(
      name,
      parent ?? (first === undefined ? undefined : contextFromEvent(first)),
      attributes,
      Date.now(),
    );
    try {
      const result = await store(span === undefined ? parent : trace.setSpan(ROOT_CONTEXT, span));
      endSpan(span);
      return result;
    } catch (error) {
      endSpan(span, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** A SERVER span for an incoming request (ingress or gateway); undefined when off. */
  request(
    name: string,
    parent: Context | undefined,
    attributes: Attributes,
    startTime: number,
  ): Span | undefined {
    return this.tracer?.startSpan(
      name,
      { kind: SpanKind.SERVER, attributes, startTime },
      parent ?? ROOT_CONTEXT,
    );
  }

  /**
   * Routing of one event: returns the span (undefined when off) and writes the trace context the stored event
   * carries into `changes` (the extensions set on the event before it is stored).
   */
  route(name: string, event: CloudEvent, parent: Context | undefined, changes: Changes): Span | undefined {
    if (this.tracer === undefined) {
      // Off: pass a sender's trace on unchanged, unless the event names its own.
      if (parent !== undefined && event.attributes[TRACEPARENT] === undefined) injectContext(parent, changes);
      return undefined;
    }
    const span = this.tracer.startSpan(
      name,
      { kind: SpanKind.INTERNAL, attributes: eventAttributes(event) },
      parent ?? contextFromEvent(event),
    );
    // The span's own context replaces the extensions, so every delivery is a child of this span.
    if (event.attributes[TRACESTATE] !== undefined) changes[TRACESTATE] = undefined;
    injectContext(trace.setSpan(ROOT_CONTEXT, span), changes);
    return span;
  }

  /** A CLIENT span for one delivery attempt, child of the event's stored context, and the headers to send. */
  attempt(name: string, event: CloudEvent, attributes: Attributes): AttemptTrace {
    if (this.tracer === undefined) {
      const headers = propagatedHeaders(event);
      return headers === NO_HEADERS ? NO_TRACE : { headers, span: undefined };
    }
    const span = this.tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, attributes: { ...eventAttributes(event), ...attributes } },
      contextFromEvent(event),
    );
    const headers: Record<string, string> = {};
    injectContext(trace.setSpan(ROOT_CONTEXT, span), headers);
    return { headers, span };
  }

  /** A span for handling a reply, child of the attempt that received it; undefined when off. */
  reply(name: string, attempt: Span | undefined, attributes: Attributes): Span | undefined {
    if (this.tracer === undefined || attempt === undefined) return undefined;
    return this.tracer.startSpan(
      name,
      { kind: SpanKind.INTERNAL, attributes },
      trace.setSpan(ROOT_CONTEXT, attempt),
    );
  }

  /**
   * The parent of the events a reply brings: the reply's span, or when off the trace of the event that was
   * answered (so a reply without its own `traceparent` stays in the sender's trace).
   */
  replyParent(span: Span | undefined, answered: CloudEvent): Context | undefined {
    if (span !== undefined) return trace.setSpan(ROOT_CONTEXT, span);
    return answered.attributes[TRACEPARENT] === undefined ? undefined : contextFromEvent(answered);
  }
}

/** The headers of an attempt that carries no trace (compared by identity to skip a copy). */
export const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

const NO_TRACE: AttemptTrace = { headers: NO_HEADERS, span: undefined };

/**
 * With tracing off, the headers that pass the trace context stored with an event on to where it is
 * delivered: its `traceparent` (and `tracestate`), or NO_HEADERS when it carries none.
 */
export function propagatedHeaders(event: CloudEvent): Readonly<Record<string, string>> {
  const traceparent = event.attributes[TRACEPARENT];
  if (typeof traceparent !== 'string') return NO_HEADERS;
  const tracestate = event.attributes[TRACESTATE];
  return typeof tracestate === 'string'
    ? { [TRACEPARENT]: traceparent, [TRACESTATE]: tracestate }
    : { [TRACEPARENT]: traceparent };
}

export const tracingOff = new MeshTracing(undefined);

/** Ends a span with an error status when `error` is set. */
export function endSpan(span: Span | undefined, error?: string): void {
  if (span === undefined) return;
  if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end();
}

/** OpenTelemetry's semantic conventions for CloudEvents. */
function eventAttributes(event: CloudEvent): Attributes {
  return {
    'cloudevents.event_id': String(event.attributes['id']),
    'cloudevents.event_source': String(event.attributes['source']),
    'cloudevents.event_type': String(event.attributes['type']),
    'cloudevents.event_spec_version': String(event.attributes['specversion']),
  };
}
