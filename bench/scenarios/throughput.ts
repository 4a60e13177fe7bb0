/**
 * S1 throughput (one broker, one trigger, open throttle) and S3 fan-out (ten triggers that all match),
 * per backend. Every figure is also given as a ratio to S0r of the same run.
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

export const BROKER = 'bench';

export async function runThroughput(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return runFanout(bench, backend, 1);
}

export async function runFanoutScenario(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return runFanout(bench, backend, 10);
}

async function runFanout(bench: Bench, backend: BackendName, triggers: number): Promise<ScenarioResult> {
  const id = triggers === 1 ? 'S1' : 'S3';
  const label = `${id} ${backend}`;
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
      const flow = await measureFlow(bench, {
        label,
        plan: {
          target: mesh.brokerUrl(BROKER),
          mode: 'open',
          durationMs: windowMs(bench, 10),
          concurrency: bench.options.concurrency,
          types: 1,
          idPrefix: id.toLowerCase(),
        },
        cpuPid: mesh.pid,
        subscribers: [subscriber.name],
        fanout: triggers,
      });
      const relay = find(bench, 'S0r', '-');
      const perPath = Object.values(flow.stats[subscriber.name]?.paths ?? {});
      return {
        id,
        name: triggers === 1 ? 'throughput, 1 trigger' : `fan-out, ${triggers} triggers (deliveries/s)`,
        backend,
        deliveredPerS: flow.deliveredPerS,
        acceptedPerS: flow.acceptedPerS,
        ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
        ...(relay?.deliveredPerS
          ? { ratio: { value: flow.deliveredPerS / relay.deliveredPerS, to: 'S0r' } }
          : {}),
        extra: {
          peakRssMb: Math.round(mesh.memory().peakMb),
          ...(flow.cpuUsPerEvent !== undefined ? { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } : {}),
          ...(triggers > 1
            ? { minPerTrigger: Math.min(...perPath), maxPerTrigger: Math.max(...perPath) }
            : {}),
        },
        notes: flowNotes(flow),
      };
    });
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}
