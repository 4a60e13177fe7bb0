import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { Logger } from '../../core/logger.js';
import type { TriggerRuntime } from '../runtime-types.js';
import { DeliveryLog } from './log.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const event: CloudEvent = {
  attributes: {
    specversion: '1.0',
    id: 'e1',
    source: '/shop',
    type: 'order.created',
    traceparent: `00-${TRACE}-00f067aa0ba902b7-01`,
  },
};
const trigger = { uid: 'u1', namespace: 'ns', name: 'orders' } as TriggerRuntime;

function capture(level = 'info'): { logger: Logger; lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const order = ['debug', 'info', 'warn', 'error'];
  const at =
    (l: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level: l, obj, ...(msg === undefined ? {} : { msg }) });
    };
  return {
    lines,
    logger: {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      isLevelEnabled: (l) => order.indexOf(l) >= order.indexOf(level),
    },
  };
}

test('a failed attempt is a warn line naming trigger, event, attempt, status, next retry and trace id', () => {
  const { logger, lines } = capture();
  new DeliveryLog(logger, () => 0).failed(
    trigger,
    event,
    { attempt: 2, result: 'HTTP 503', target: 'subscriber' },
    400,
  );
  assert.deepEqual(lines, [
    {
      level: 'warn',
      msg: 'delivery failed, will retry',
      obj: {
        trigger: 'ns/orders',
        eventId: 'e1',
        source: '/shop',
        attempt: 2,
        status: 'HTTP 503',
        target: 'subscriber',
        traceId: TRACE,
        nextRetryMs: 400,
      },
    },
  ]);
});

test('dead letters warn, undeliverable events are errors, successes are debug only', () => {
  const facts = { attempt: 3, result: 'timeout', target: 'subscriber' as const };
  const info = capture('info');
  const log = new DeliveryLog(info.logger, () => 0);
  log.deadLettered(trigger, event, facts);
  log.undeliverable(trigger, event, facts);
  log.delivered(trigger, event, facts);
  assert.deepEqual(
    info.lines.map((l) => [l.level, l.msg]),
    [
      ['warn', 'event dead-lettered'],
      ['error', 'event undeliverable: kept in the delivery history'],
    ],
  );
  const debug = capture('debug');
  new DeliveryLog(debug.logger, () => 0).delivered(trigger, event, facts);
  assert.deepEqual(
    debug.lines.map((l) => [l.level, l.msg]),
    [['debug', 'delivered']],
  );
});

test('failures are rate limited per trigger; the next line says how many were held back', () => {
  const { logger, lines } = capture();
  let now = 0;
  const log = new DeliveryLog(logger, () => now);
  const facts = { attempt: 1, result: 'HTTP 500', target: 'subscriber' as const };
  for (let i = 0; i < 20; i++) log.failed(trigger, event, facts, 10);
  assert.equal(lines.length, 5);
  now = 1000;
  log.failed(trigger, event, facts, 10);
  assert.equal(lines.length, 6);
  assert.equal((lines[5]?.obj as { suppressed?: number }).suppressed, 15);
  log.failed({ ...trigger, uid: 'u2' } as TriggerRuntime, event, facts, 10);
  assert.equal(lines.length, 7, 'another trigger has its own budget');
});
