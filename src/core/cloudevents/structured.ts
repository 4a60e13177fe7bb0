/**
 * Structured (HTTP binding 3.2) and batched (3.3) content modes with the JSON event format and the JSON batch
 * format (JSON format sections 3 and 4).
 */
import { inBatch, invalidAttribute, malformedBody } from './event-errors.js';
import { parseJsonBody } from './json-body.js';
import { fromStructuredJson, structuredJsonText } from './json-format.js';
import { isIntegerLiteral, numberMembers } from './json-literals.js';
import type { CloudEvent } from './model.js';

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';
export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json; charset=utf-8';

const encoder = new TextEncoder();

function hasNumberAttribute(event: CloudEvent): boolean {
  for (const name in event.attributes) if (typeof event.attributes[name] === 'number') return true;
  return false;
}

/** JSON format 2.2: Integer members are written without fraction or exponent (`10.0` and `1e1` are not). */
function checkIntegerLiterals(text: string, depth: 1 | 2): void {
  for (const member of numberMembers(text, depth)) {
    if (member.name === 'data' || isIntegerLiteral(member.literal)) continue;
    const error = invalidAttribute(
      member.name,
      'type:Integer',
      `Integer must be written as a whole number without fraction or exponent (JSON format 2.2), got ${member.literal}`,
    );
    throw depth === 2 ? inBatch(member.event, error) : error;
  }
}

export function decodeStructuredBody(body: Uint8Array): CloudEvent {
  const { text, value } = parseJsonBody(body);
  const event = fromStructuredJson(value);
  if (hasNumberAttribute(event)) checkIntegerLiterals(text, 1);
  return event;
}

/** A JSON batch (JSON format 4): an array of events, possibly empty; one invalid event rejects the batch. */
export function decodeBatchBody(body: Uint8Array): CloudEvent[] {
  const { text, value } = parseJsonBody(body);
  if (!Array.isArray(value))
    throw malformedBody('a batched-mode body must be a JSON array of events (JSON format 4.1)');
  const events: CloudEvent[] = new Array<CloudEvent>(value.length);
  let numbers = false;
  for (let i = 0; i < value.length; i++) {
    let event: CloudEvent;
    try {
      event = fromStructuredJson(value[i]);
    } catch (error) {
      throw inBatch(i, error);
    }
    numbers ||= hasNumberAttribute(event);
    events[i] = event;
  }
  if (numbers) checkIntegerLiterals(text, 2);
  return events;
}

export function encodeStructured(event: CloudEvent): { headers: Record<string, string>; body: Uint8Array } {
  return {
    headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
    body: encoder.encode(structuredJsonText(event)),
  };
}

export function encodeBatch(events: readonly CloudEvent[]): {
  headers: Record<string, string>;
  body: Uint8Array;
} {
  const text = `[${events.map(structuredJsonText).join(',')}]`;
  return { headers: { 'content-type': BATCH_CONTENT_TYPE }, body: encoder.encode(text) };
}
