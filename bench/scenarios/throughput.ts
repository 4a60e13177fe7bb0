/**
 * S1 throughput (one broker, one trigger, open throttle) and S3 fan-out (ten triggers that all match),
 * per backend, each measured in turns with a bare relay (S0r) running beside it; the ratio is the median
 * of the per-pair ratios (see paired.ts).
 */
import { brokerResource, triggerResource, type BackendName, type MeshProcess } from '../mesh.js';
import {
  closeSubscriber,
  flowNotes,
  listen,
  withMesh,
  type Bench,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { measurePaired, ratiosNote } from '../paired.js';
import { openPlan, withRelay } from './baselines.js';

export const BROKER = 'bench';

/** Starts a mesh with one broker and `triggers` catch-all triggers to one subscriber (paths /t0, /t1 ...). */
export async function withFlowMesh<T>(
  bench: Bench,
  backend: BackendName,
  triggers: number,
  label: string,
  use: (flow: FlowSpec, mesh: MeshProcess) => Promise<T>,
): Promise<T> {
  const subscriber = await listen(bench);
  try {
    return await withMesh(bench, { backend }, async (mesh) => {
      const names = Array.from({ length: triggers }, (_, i) => `t${i}`);
      await mesh.apply([brokerResource(BROKER)]);
      await mesh.apply(
        names.map((name) =>
          triggerResource(name, { broker: BROKER, subscriber: `${subscriber.url}/${name}` }),
        ),
      );
      await mesh.waitReady('Trigger', names);
      const flow: FlowSpec = {
        label,
        cpuPid: mesh.pid,
        plan: openPlan(bench, mesh.brokerUrl(BROKER), label.replace(/\W/g, '').toLowerCase()),
        subscribers: [subscriber.name],
        fanout: triggers,
      };
      return await use(flow, mesh);
    });
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}

export async function runThroughput(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return runAgainstRelay(bench, backend, 1);
}

export async function runFanoutScenario(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return runAgainstRelay(bench, backend, 10);
}

async function runAgainstRelay(
  bench: Bench,
  backend: BackendName,
  triggers: number,
): Promise<ScenarioResult> {
  const id = triggers === 1 ? 'S1' : 'S3';
  return withRelay(bench, (relay) =>
    withFlowMesh(bench, backend, triggers, `${id} ${backend}`, async (flow, mesh) => {
      const paired = await measurePaired(bench, flow, relay);
      const subject = paired.subject;
      const perPath = Object.values(Object.values(subject.stats)[0]?.paths ?? {});
      return {
        id,
        name: triggers === 1 ? 'throughput, 1 trigger' : `fan-out, ${triggers} triggers (deliveries/s)`,
        backend,
        deliveredPerS: paired.subjectPerS,
        acceptedPerS: subject.acceptedPerS,
        ...(subject.latencyMs ? { latencyMs: subject.latencyMs } : {}),
        ratio: { value: paired.ratio, to: 'S0r' },
        extra: {
          peakRssMb: Math.round(mesh.memory().peakMb),
          ...(subject.cpuUsPerEvent !== undefined
            ? { cpuUsPerEvent: Math.round(subject.cpuUsPerEvent) }
            : {}),
          ...(paired.reference.cpuUsPerEvent !== undefined
            ? { relayCpuUsPerEvent: Math.round(paired.reference.cpuUsPerEvent) }
            : {}),
          ...(triggers > 1
            ? { minPerTrigger: Math.min(...perPath), maxPerTrigger: Math.max(...perPath) }
            : {}),
        },
        notes: [ratiosNote(paired, 'S0r'), ...flowNotes(subject)],
      };
    }),
  );
}
