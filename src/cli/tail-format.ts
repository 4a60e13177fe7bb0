/**
 * One line per item of a broker's tail: an event entering it, or what became of one trigger's delivery of
 * it. Both name the event id and its trace id (from the event's W3C `traceparent`), so a line leads to the
 * trace in Jaeger and to `cemesh describe event ID`.
 */
export function formatTailItem(item: Record<string, unknown>, now: Date): string {
  const time = now.toISOString().slice(11, 23);
  if (item['kind'] === 'DeliveryOutcome') {
    const result = typeof item['result'] === 'string' ? ` ${item['result']}` : '';
    const target = item['target'] === 'dead-letter' ? ' (dead-letter sink)' : '';
    return [
      time,
      text(item['outcome']).toUpperCase().padEnd(13),
      `trigger=${text(item['trigger'])}${target}`,
      `id=${text(item['id'])}`,
      `attempt=${text(item['attempt'])}${result}`,
      `trace=${text(item['traceId']) || '-'}`,
    ].join(' ');
  }
  return [
    time,
    'ACCEPTED'.padEnd(13),
    `type=${text(item['type'])}`,
    `id=${text(item['id'])}`,
    `source=${text(item['source'])}`,
    `trace=${traceIdOf(item['traceparent']) ?? '-'}`,
  ].join(' ');
}

/** The trace id of a W3C traceparent (version-traceid-parentid-flags). */
function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/.exec(traceparent);
  return match?.[1];
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
