/**
 * S6 slow subscriber: two triggers on one broker match every event; one subscriber answers after 200 ms,
 * the other at once. The fast one's sustained throughput must stay within 10% of S1 of the same backend.
 */
import { brokerResource, triggerResource, type BackendName } from '../mesh.js';
import {
  closeSubscriber,
  find,
  flowNotes,
  listen,
  measureFlow,
  windowMs,
  withMesh,
  type Bench,
  type ScenarioResult,
} from '../kit.js';
import { BROKER } from './throughput.js';

export const SLOW_MS = 200;

export async function runSlowSubscriber(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  const fast = await listen(bench);
  const slow = await listen(bench, { delayMs: SLOW_MS });
  try {
    return await withMesh(bench, { backend }, async (mesh) => {
      await mesh.apply([
        brokerResource(BROKER),
        triggerResource('fast', { broker: BROKER, subscriber: `${fast.url}/` }),
        triggerResource('slow', { broker: BROKER, subscriber: `${slow.url}/` }),
      ]);
      await mesh.waitReady('Trigger', ['fast', 'slow']);
      const flow = await measureFlow(bench, {
        label: `S6 ${backend}`,
        plan: {
          target: mesh.brokerUrl(BROKER),
          mode: 'open',
          durationMs: windowMs(bench, 10),
          concurrency: bench.options.concurrency,
          types: 1,
          idPrefix: 's6',
        },
        cpuPid: mesh.pid,
        subscribers: [fast.name, slow.name],
        fanout: 2,
        // Only the fast subscriber is waited for: the slow one drains at 500/s per 100 in flight.
        complete: [fast.name],
      });
      const s1 = find(bench, 'S1', backend);
      const slowStats = flow.stats[slow.name];
      const slowPerS =
        slowStats?.lastAt !== undefined
          ? slowStats.count / ((slowStats.lastAt - flow.load.startedAt) / 1000)
          : 0;
      return {
        id: 'S6',
        name: `slow subscriber (${SLOW_MS} ms) beside a fast one`,
        backend,
        deliveredPerS: flow.deliveredPerS,
        acceptedPerS: flow.acceptedPerS,
        ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
        ...(s1?.deliveredPerS ? { ratio: { value: flow.deliveredPerS / s1.deliveredPerS, to: 'S1' } } : {}),
        extra: {
          slowDeliveredPerS: Math.round(slowPerS),
          peakRssMb: Math.round(mesh.memory().peakMb),
          ...(flow.cpuUsPerEvent !== undefined ? { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } : {}),
        },
        notes: flowNotes(flow),
      };
    });
  } finally {
    await closeSubscriber(bench, fast.name);
    await closeSubscriber(bench, slow.name);
  }
}
