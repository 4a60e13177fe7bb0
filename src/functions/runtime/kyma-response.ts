/**
 * What a Kyma function's result becomes on the wire, and the CloudEvents it builds. Pure, and runs inside the
 * function's child process (imports nothing but its siblings).
 *
 * Kyma's runtime answers with the function's return value: an object as JSON, anything else as its text, a
 * falsy value as an empty body, a thrown error as 500. cemesh adds one rule so replies work as in Knative: a
 * returned CloudEvent (an object with `specversion`, `id`, `type` and `source`) is answered in structured mode,
 * which the broker takes as a reply and routes again.
 */

export interface ResponsePlan {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

/** What the function set through `event.setResponseStatus` and `event.setResponseContentType`. */
export interface ResponsePreset {
  readonly status?: number;
  readonly contentType?: string;
}

export function isCloudEventLike(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return ['specversion', 'id', 'type', 'source'].every((name) => typeof event[name] === 'string');
}

export function planResponse(result: unknown, preset: ResponsePreset = {}): ResponsePlan {
  const status = preset.status ?? 200;
  const typed = (fallback: string): Record<string, string> => ({
    'content-type': preset.contentType ?? fallback,
  });
  if (isCloudEventLike(result)) {
    return {
      status,
      headers: { 'content-type': 'application/cloudevents+json' },
      body: Buffer.from(JSON.stringify(result), 'utf8'),
    };
  }
  if (result === undefined || result === null || result === '' || result === false || result === 0) {
    return { status, headers: preset.contentType ? typed(preset.contentType) : {}, body: undefined };
  }
  if (Buffer.isBuffer(result) || result instanceof Uint8Array) {
    return { status, headers: typed('application/octet-stream'), body: Buffer.from(result) };
  }
  if (typeof result === 'object') {
    return {
      status,
      headers: typed('application/json; charset=utf-8'),
      body: Buffer.from(JSON.stringify(result), 'utf8'),
    };
  }
  return { status, headers: typed('text/plain; charset=utf-8'), body: Buffer.from(String(result), 'utf8') };
}

/** Kyma's answer to a thrown error: a thrown string is the message, anything else stays private. */
export function errorResponse(error: unknown): ResponsePlan {
  const text = typeof error === 'string' ? error : 'Internal server error';
  return {
    status: 500,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: Buffer.from(text, 'utf8'),
  };
}

/** Kyma's `datacontenttype` for emitted data: JSON for objects, text for strings. */
export function dataContentType(data: unknown): string | undefined {
  if (typeof data === 'string') return 'text/plain';
  if (typeof data === 'object' && data !== null && !Buffer.isBuffer(data)) return 'application/json';
  return undefined;
}

/**
 * The structured-mode event `event.emitCloudEvent(type, source, data, attributes)` publishes: specversion 1.0,
 * a fresh id and the current time unless the attributes give them (as the CloudEvents SDK Kyma uses does).
 */
export function emittedEvent(
  type: unknown,
  source: unknown,
  data: unknown,
  attributes: unknown,
  fresh: { readonly id: string; readonly time: string },
): Record<string, unknown> {
  const extra = typeof attributes === 'object' && attributes !== null ? attributes : {};
  const event: Record<string, unknown> = {
    specversion: '1.0',
    id: fresh.id,
    time: fresh.time,
    type,
    source,
  };
  const contentType = dataContentType(data);
  if (contentType !== undefined) event['datacontenttype'] = contentType;
  Object.assign(event, extra);
  if (Buffer.isBuffer(data) || data instanceof Uint8Array) {
    event['data_base64'] = Buffer.from(data).toString('base64');
  } else if (data !== undefined) event['data'] = data;
  return event;
}

/**
 * Kyma's deprecated `event.buildResponseCloudEvent(id, type, data)`: an event that keeps the request's source,
 * specversion and eventtypeversion. Returned from `main`, it becomes the reply.
 */
export function responseCloudEvent(
  request: Readonly<Record<string, unknown>>,
  id: unknown,
  type: unknown,
  data: unknown,
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    specversion: request['ce-specversion'] ?? '1.0',
    id,
    type,
    source: request['ce-source'],
  };
  if (request['ce-eventtypeversion'] !== undefined)
    event['eventtypeversion'] = request['ce-eventtypeversion'];
  const contentType = dataContentType(data);
  if (contentType !== undefined) event['datacontenttype'] = contentType;
  if (data !== undefined) event['data'] = data;
  return event;
}
