/** S2 latency: a fixed 1,000 events/s for 20 s through one broker and one trigger, per backend. */
import { brokerResource, triggerResource, type BackendName } from '../mesh.js';
import {
  closeSubscriber,
  flowNotes,
  listen,
  measureFlow,
  windowMs,
  withMesh,
  type Bench,
  type ScenarioResult,
} from '../kit.js';
import { BROKER } from './throughput.js';

export const S2_RATE = 1000;

export async function runLatency(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  const subscriber = await listen(bench);
  try {
    return await withMesh(bench, { backend }, async (mesh) => {
      await mesh.apply([
        brokerResource(BROKER),
        triggerResource('t0', { broker: BROKER, subscriber: `${subscriber.url}/` }),
      ]);
      await mesh.waitReady('Trigger', ['t0']);
      const flow = await measureFlow(bench, {
        label: `S2 ${backend}`,
        plan: {
          target: mesh.brokerUrl(BROKER),
          mode: 'rate',
          rate: S2_RATE,
          durationMs: windowMs(bench, 20),
          concurrency: 32,
          types: 1,
          idPrefix: 's2',
        },
        cpuPid: mesh.pid,
        subscribers: [subscriber.name],
        fanout: 1,
      });
      return {
        id: 'S2',
        name: `latency at ${S2_RATE} ev/s`,
        backend,
        deliveredPerS: flow.deliveredPerS,
        acceptedPerS: flow.acceptedPerS,
        ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
        extra: {
          ...(flow.load.ingress ? { ingressP99Ms: flow.load.ingress.p99 } : {}),
          peakRssMb: Math.round(mesh.memory().peakMb),
          ...(flow.cpuUsPerEvent !== undefined ? { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } : {}),
        },
        notes: flowNotes(flow),
      };
    });
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}
