/**
 * S2 latency: a fixed 1,000 events/s for 20 s through one broker and one trigger, per backend. S2r sends
 * the same schedule through the bare relay: the latency floor of two HTTP hops with this load generator
 * and subscriber on these two cores, against which the mesh's percentiles are read.
 */
import { brokerResource, triggerResource, type BackendName } from '../mesh.js';
import {
  closeSubscriber,
  flowNotes,
  listen,
  measureFlow,
  windowMs,
  withMesh,
  type Bench,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { withRelay } from './baselines.js';
import { BROKER } from './throughput.js';

export const S2_RATE = 1000;

function ratePlan(bench: Bench, target: string, idPrefix: string): FlowSpec['plan'] {
  return {
    target,
    mode: 'rate',
    rate: S2_RATE,
    durationMs: windowMs(bench, 20),
    concurrency: 32,
    types: 1,
    idPrefix,
  };
}

export async function runRelayLatency(bench: Bench): Promise<ScenarioResult> {
  return withRelay(bench, async (relay) => {
    const flow = await measureFlow(bench, {
      ...relay,
      label: 'S2r relay',
      plan: ratePlan(bench, relay.plan.target, 's2r'),
    });
    return {
      id: 'S2r',
      name: `latency at ${S2_RATE} ev/s, bare relay`,
      backend: '-',
      deliveredPerS: flow.deliveredPerS,
      acceptedPerS: flow.acceptedPerS,
      ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
      extra: {
        ...(flow.load.ingress ? { ingressP99Ms: flow.load.ingress.p99 } : {}),
        ...(flow.cpuUsPerEvent !== undefined ? { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } : {}),
      },
      notes: flowNotes(flow),
    };
  });
}

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
        plan: ratePlan(bench, mesh.brokerUrl(BROKER), 's2'),
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
