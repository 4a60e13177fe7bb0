/**
 * S2 latency: a fixed 1,000 events/s for 20 s through one broker and one trigger, per backend, in windows
 * that alternate with the same schedule through a bare relay beside the mesh: the latency floor of two HTTP
 * hops with this load generator and subscriber on these two cores, against which the mesh's percentiles are
 * read. S2r is that relay alone, in one 20 s window.
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
  type Flow,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { alternate } from '../paired.js';
import { withRelay } from './baselines.js';
import { BROKER } from './throughput.js';

export const S2_RATE = 1000;

/** S2's windows: an odd number, so that the median window is one of them. */
export const S2_PAIRS = 5;

function ratePlan(bench: Bench, target: string, idPrefix: string, windowS?: number): FlowSpec['plan'] {
  return {
    target,
    mode: 'rate',
    rate: S2_RATE,
    durationMs: windowS === undefined ? windowMs(bench, 20) : windowS * 1000,
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

/**
 * S2 for one backend: the mesh and a bare relay side by side, in S2_PAIRS alternating windows of a fifth of
 * S2's time each, and the figure judged is the p99 of the window with the median p99. A stall of the machine
 * (another process taking a core for 200 ms) delays 200 events of one window and moves a single 20 s
 * window's p99 past any bar; the median window does not move with it, while a stall of the mesh's own
 * (a collection every half second) is in every window. Every window's p99, the relay's beside it, is in
 * the notes (docs/decisions/performance-benchmark-method.md).
 */
export async function runLatency(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  const subscriber = await listen(bench);
  try {
    return await withRelay(bench, (relay) =>
      withMesh(bench, { backend }, async (mesh) => {
        await mesh.apply([
          brokerResource(BROKER),
          triggerResource('t0', { broker: BROKER, subscriber: `${subscriber.url}/` }),
        ]);
        await mesh.waitReady('Trigger', ['t0']);
        const windowS = windowMs(bench, 20) / 1000 / S2_PAIRS;
        const { subjects, references } = await alternate(
          bench,
          {
            label: `S2 ${backend}`,
            plan: ratePlan(bench, mesh.brokerUrl(BROKER), 's2', windowS),
            cpuPid: mesh.pid,
            subscribers: [subscriber.name],
            fanout: 1,
          },
          { ...relay, label: 'S2 relay', plan: ratePlan(bench, relay.plan.target, 's2r', windowS) },
          S2_PAIRS,
        );
        const flow = medianByP99(subjects);
        const relayFlow = medianByP99(references);
        return {
          id: 'S2',
          name: `latency at ${S2_RATE} ev/s`,
          backend,
          deliveredPerS: flow.deliveredPerS,
          acceptedPerS: flow.acceptedPerS,
          ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
          extra: {
            ...(relayFlow.latencyMs ? { relayP99Ms: relayFlow.latencyMs.p99 } : {}),
            ...(flow.load.ingress ? { ingressP99Ms: flow.load.ingress.p99 } : {}),
            peakRssMb: Math.round(mesh.memory().peakMb),
            ...(flow.cpuUsPerEvent !== undefined ? { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } : {}),
          },
          notes: [
            `the median of ${S2_PAIRS} windows of ${windowS} s, each beside a relay window; p99 by window, ` +
              `mesh ${p99s(subjects)} ms, relay ${p99s(references)} ms`,
            ...flowNotes(flow),
            // Another window's lost or refused events would not show in the median window's notes.
            ...subjects
              .filter((f) => f !== flow)
              .flatMap((f) => flowNotes(f))
              .filter((note) => note.startsWith('incomplete') || note.startsWith('ingress failures')),
          ],
        };
      }),
    );
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}

/** The window whose p99 is the median of the windows' (S2_PAIRS is odd, so it is one of them). */
function medianByP99(flows: readonly Flow[]): Flow {
  const sorted = [...flows].sort((a, b) => (a.latencyMs?.p99 ?? Infinity) - (b.latencyMs?.p99 ?? Infinity));
  return sorted[Math.floor(sorted.length / 2)]!;
}

function p99s(flows: readonly Flow[]): string {
  return flows.map((f) => f.latencyMs?.p99.toFixed(2) ?? '-').join(' ');
}
