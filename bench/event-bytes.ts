// What one delivered event costs the embedded backend's disk: bytes the process wrote (the WAL's frames and the
// checkpoints that copy them into the database file, as the kernel counts them) and CPU, per event. Each event
// goes the way the mesh takes it: appended with its history entry and one delivery, leased, its attempt and
// outcome recorded in the history, acked. Two shapes: one event at a time, each settled before the next is
// appended (a quiet broker, S2's 1,000 events/s: every event gets commits of its own), and 64 appenders with a
// consumer leasing 256 at a time (S1's load: commits shared). Run on two trees to compare.
// Standalone: node --import tsx bench/event-bytes.ts [events] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import { openEmbedded } from '../src/backends/embedded/index.js';
import type { BrokerStore } from '../src/store/contracts.js';

const events = Number(process.argv[2] ?? 4000);
const rounds = Number(process.argv[3] ?? 3);
const payload = new Uint8Array(1024).fill(120);
const TRIGGER = 'default/t0';

function eventOf(i: number): CloudEvent {
  return {
    attributes: {
      specversion: '1.0',
      id: `bytes-${i}-${Math.random().toString(36).slice(2, 10)}`,
      source: '/bench/event-bytes',
      type: 'dev.cemesh.bench',
      datacontenttype: 'application/json',
    },
    data: payload,
  };
}

function append(broker: BrokerStore, event: CloudEvent): Promise<void> {
  return broker.append([
    {
      event,
      queues: [TRIGGER],
      history: {
        source: String(event.attributes.source),
        id: String(event.attributes.id),
        type: String(event.attributes.type),
        acceptedAt: new Date().toISOString(),
        triggers: [TRIGGER],
      },
    },
  ]);
}

/** Leases up to `max`, records each attempt as delivered, acks; resolves with how many were settled. */
async function deliver(broker: BrokerStore, max: number, signal: AbortSignal): Promise<number> {
  const leases = await broker.queue(TRIGGER).lease({ max, leaseMs: 60_000, signal });
  await Promise.all(
    leases.map((lease) => {
      const id = String(lease.event.attributes.id);
      const source = String(lease.event.attributes.source);
      const attempt = {
        at: Date.now(),
        attempt: 1,
        target: 'subscriber' as const,
        uri: 'http://127.0.0.1:9/',
        status: 200,
        durationMs: 0.4,
      };
      broker.history?.attempt({ id, source }, TRIGGER, attempt, 'delivered');
      return lease.ack();
    }),
  );
  return leases.length;
}

async function oneAtATime(broker: BrokerStore, count: number, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < count; i++) {
    await append(broker, eventOf(i));
    await deliver(broker, 1, signal);
    // The next event arrives in a later turn, as a request 1 ms later would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function shared(broker: BrokerStore, count: number, signal: AbortSignal): Promise<void> {
  let next = 0;
  const producers = Array.from({ length: 64 }, async () => {
    while (next < count) await append(broker, eventOf(next++));
  });
  let settled = 0;
  const consumer = (async () => {
    while (settled < count) settled += await deliver(broker, 256, signal);
  })();
  await Promise.all([...producers, consumer]);
}

async function measure(
  shape: (broker: BrokerStore, count: number, signal: AbortSignal) => Promise<void>,
): Promise<{ kib: number; us: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cemesh-event-bytes-'));
  try {
    const { backend, resources } = await openEmbedded({ dataDir: dir });
    const signal = new AbortController().signal;
    const broker = await backend.broker({ namespace: 'bench', name: 'default' });
    await shape(broker, Math.ceil(events / 4), signal); // warm-up: JIT, statements, a WAL of its own size
    const written = process.resourceUsage().fsWrite;
    const cpu = process.cpuUsage();
    await shape(broker, events, signal);
    const used = process.cpuUsage(cpu);
    const blocks = process.resourceUsage().fsWrite - written;
    await backend.close();
    await resources.close();
    return { kib: (blocks * 512) / 1024 / events, us: (used.user + used.system) / events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let round = 1; round <= rounds; round++) {
  const alone = await measure(oneAtATime);
  const batched = await measure(shared);
  console.log(
    `round ${round}: one at a time ${alone.kib.toFixed(1)} KiB and ${alone.us.toFixed(0)} us of CPU an event; ` +
      `shared commits ${batched.kib.toFixed(1)} KiB and ${batched.us.toFixed(0)} us`,
  );
}
