import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { isMeshError } from '../../core/errors.js';
import { createMemoryBackend } from './backend.js';
import { DEFAULT_BACKLOG_LIMITS, type BacklogLimits } from './backlog.js';

function event(id: string, dataBytes = 0): CloudEvent {
  return {
    attributes: { specversion: '1.0', id, source: '/b', type: 't' },
    ...(dataBytes > 0 ? { data: new Uint8Array(dataBytes) } : {}),
  };
}

async function setup(limits: Partial<BacklogLimits>) {
  const backend = createMemoryBackend({ backlog: limits });
  const a = await backend.broker({ namespace: 'ns', name: 'a' });
  const b = await backend.broker({ namespace: 'ns', name: 'b' });
  return { backend, a, b };
}

function refusedFull(error: unknown, pattern: RegExp): boolean {
  assert.ok(isMeshError(error));
  assert.equal(error.code, 'MESH_BACKLOG_FULL');
  assert.match(error.message, pattern);
  return true;
}

describe('memory backlog limits', () => {
  test('the defaults are the documented ones', () => {
    assert.deepEqual(DEFAULT_BACKLOG_LIMITS, {
      brokerMaxEvents: 100_000,
      brokerMaxBytes: 256 * 1024 ** 2,
      maxEvents: 500_000,
      maxBytes: 1024 ** 3,
    });
  });

  test('per broker: the append that would pass the limit is refused whole; others still take events', async () => {
    const { backend, a, b } = await setup({ brokerMaxEvents: 3 });
    await a.append([
      { event: event('1'), queues: ['q'] },
      { event: event('2'), queues: ['q', 'r'] },
    ]);
    await assert.rejects(
      a.append([
        { event: event('3'), queues: ['q'] },
        { event: event('4'), queues: ['q'] },
      ]),
      (e) => refusedFull(e, /broker ns\/a holds 2 undelivered events \(limit 3\)/),
    );
    await a.append([{ event: event('3'), queues: ['q'] }]);
    await b.append([{ event: event('x'), queues: ['q'] }]);
    const leased = await a
      .queue('q')
      .lease({ max: 10, leaseMs: 60_000, signal: new AbortController().signal });
    assert.deepEqual(
      leased.map((l) => l.event.attributes['id']),
      ['1', '2', '3'],
      'the refused batch stored nothing',
    );
    await backend.close();
  });

  test('an event without queues is not backlog; an event counts until its last delivery is settled', async () => {
    const { backend, a } = await setup({ brokerMaxEvents: 1 });
    await a.append([{ event: event('filtered'), queues: [] }]);
    await a.append([{ event: event('1'), queues: ['q', 'r'] }]);
    await assert.rejects(a.append([{ event: event('2'), queues: ['q'] }]), /MESH_BACKLOG_FULL|holds 1/);
    const signal = new AbortController().signal;
    const [q] = await a.queue('q').lease({ max: 1, leaseMs: 60_000, signal });
    await q!.ack();
    await assert.rejects(a.append([{ event: event('2'), queues: ['q'] }]), /holds 1/, 'r still waits');
    const [r] = await a.queue('r').lease({ max: 1, leaseMs: 60_000, signal });
    await r!.nak(60_000);
    await assert.rejects(a.append([{ event: event('2'), queues: ['q'] }]), /holds 1/, 'a retry still waits');
    await a.dropQueue('r');
    await a.append([{ event: event('2'), queues: ['q'] }]);
    await backend.close();
  });

  test('bytes per broker, and events and bytes in total across brokers', async () => {
    const bytes = await setup({ brokerMaxBytes: 5000 });
    await bytes.a.append([{ event: event('1', 3000), queues: ['q'] }]);
    await assert.rejects(bytes.a.append([{ event: event('2', 3000), queues: ['q'] }]), (e) =>
      refusedFull(e, /broker ns\/a holds \d+ bytes of undelivered events \(limit 5000\)/),
    );
    await bytes.backend.close();

    const total = await setup({ maxEvents: 2, maxBytes: 1_000_000 });
    await total.a.append([{ event: event('1'), queues: ['q'] }]);
    await total.b.append([{ event: event('2'), queues: ['q'] }]);
    await assert.rejects(total.a.append([{ event: event('3'), queues: ['q'] }]), (e) =>
      refusedFull(e, /the memory backend holds 2 undelivered events \(limit 2\)/),
    );
    await total.backend.dropBroker({ namespace: 'ns', name: 'b' });
    await total.a.append([{ event: event('3'), queues: ['q'] }]);
    await total.backend.close();
  });
});
