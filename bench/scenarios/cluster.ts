/**
 * SC JetStream scaling (issue 20, goal 3): S1's load on a 3-node NATS cluster (streams with 3 replicas), with
 * one cemesh replica and then with two sharing the cluster, the load spread over both ingresses. The windows
 * alternate (one replica, two, two, one ...); the second replica is started for its windows and stopped
 * after them, so a one-replica window has no other replica pulling deliveries. The ratio is the median of the
 * per-pair ratios of delivered/s, two replicas against one. The same for a broker of 4 shards (4 streams,
 * so 4 stream leaders spread over the nodes) when run with `--backend jetstream` and named (`--scenario SC`).
 *
 * Everything runs on this one machine: three nats-server nodes, two cemesh servers, the load generator and
 * the subscriber share its cores, so the figure says what a second replica costs or gains here, not what a
 * cluster of machines would do (docs/jetstream.md, "Scaling out").
 */
import { request } from 'undici';
import { startNatsCluster } from '../../test/support/nats-cluster.js';
import { brokerResource, triggerResource, type MeshProcess } from '../mesh.js';
import {
  closeSubscriber,
  flowNotes,
  listen,
  measureFlow,
  withMesh,
  WARMUP_MS,
  type Bench,
  type Flow,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { median } from '../paired.js';
import { cpuSecondsOf } from '../proc.js';
import { openPlan } from './baselines.js';

const PAIRS = 2;
const STREAM_REPLICAS = 3;
const SHARDED = 4;

/** A flow with the CPU time its cemesh replicas and the NATS nodes spent per accepted event. */
interface Measured {
  readonly flow: Flow;
  readonly meshUs: number;
  readonly natsUs: number;
}

interface Nats {
  readonly urls: readonly string[];
  readonly replicas: number;
  readonly pids: readonly number[];
}

export async function runClusterScaling(bench: Bench): Promise<ScenarioResult[]> {
  const cluster = await startNatsCluster();
  const nats: Nats = {
    urls: cluster.urls,
    replicas: STREAM_REPLICAS,
    pids: cluster.nodes.map((node) => node.pid),
  };
  const subscriber = await listen(bench);
  try {
    return await withMesh(bench, { backend: 'jetstream', nats }, async (first) => {
      const results: ScenarioResult[] = [];
      for (const shards of [1, SHARDED]) {
        const broker = `scale-s${shards}`;
        await first.apply([
          {
            ...brokerResource(broker),
            metadata: {
              name: broker,
              namespace: 'default',
              annotations: { 'eventing.cemesh.dev/shards': String(shards) },
            },
          },
        ]);
        await first.apply([
          triggerResource(`${broker}-t`, { broker, subscriber: `${subscriber.url}/${broker}` }),
        ]);
        await first.waitReady('Trigger', [`${broker}-t`]);
        const spec: FlowSpec = {
          label: `SC ${shards} shard(s), 1 replica`,
          cpuPid: first.pid,
          plan: openPlan(bench, first.brokerUrl(broker), `sc${shards}one`),
          subscribers: [subscriber.name],
          fanout: 1,
        };
        results.push(await pairs(bench, spec, broker, shards, nats));
      }
      return results;
    });
  } finally {
    await closeSubscriber(bench, subscriber.name);
    await cluster.stop();
  }
}

async function pairs(
  bench: Bench,
  one: FlowSpec,
  broker: string,
  shards: number,
  nats: Nats,
): Promise<ScenarioResult> {
  const singles: Measured[] = [];
  const doubles: Measured[] = [];
  const firstPid = one.cpuPid ?? -1;
  const withSecond = (i: number): Promise<void> =>
    withMesh(bench, { backend: 'jetstream', nats }, async (second) => {
      await acceptsEvents(second, broker);
      const spec: FlowSpec = {
        ...one,
        label: `SC ${shards} shard(s), 2 replicas (${i + 1}/${PAIRS})`,
        plan: { ...one.plan, replicas: [second.brokerUrl(broker)], idPrefix: `sc${shards}two${i}` },
      };
      doubles.push(await measured(bench, spec, [firstPid, second.pid], nats.pids));
    });
  const alone = async (i: number): Promise<void> => {
    const spec: FlowSpec = {
      ...one,
      label: `${one.label} (${i + 1}/${PAIRS})`,
      plan: { ...one.plan, idPrefix: `${one.plan.idPrefix}${i}` },
    };
    singles.push(await measured(bench, spec, [firstPid], nats.pids));
  };
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      await alone(i);
      await withSecond(i);
    } else {
      await withSecond(i);
      await alone(i);
    }
  }
  const ratios = doubles.map((d, i) => d.flow.deliveredPerS / singles[i]!.flow.deliveredPerS);
  const twoPerS = median(doubles.map((m) => m.flow.deliveredPerS));
  const onePerS = median(singles.map((m) => m.flow.deliveredPerS));
  const cpu = (side: readonly Measured[]): string =>
    `cemesh ${Math.round(median(side.map((m) => m.meshUs)))} us + NATS ${Math.round(median(side.map((m) => m.natsUs)))} us`;
  return {
    id: 'SC',
    name: `jetstream cluster, 2 replicas vs 1, ${shards} shard(s)`,
    backend: 'jetstream',
    deliveredPerS: twoPerS,
    acceptedPerS: median(doubles.map((m) => m.flow.acceptedPerS)),
    ratio: { value: median(ratios), to: '1 replica' },
    extra: { oneReplicaPerS: Math.round(onePerS) },
    notes: [
      `1 replica ${Math.round(onePerS)}/s, ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}`,
      `CPU per event: 1 replica ${cpu(singles)}, 2 replicas ${cpu(doubles)}`,
      ...flowNotes(doubles[0]!.flow),
    ],
  };
}

/** measureFlow, with the CPU seconds the cemesh replicas and the NATS nodes spent, per accepted event. */
async function measured(
  bench: Bench,
  spec: FlowSpec,
  meshPids: readonly number[],
  natsPids: readonly number[],
): Promise<Measured> {
  const cpuOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  // The warm-up first, on its own, so that the CPU counted is the measured window's.
  await measureFlow(bench, {
    ...spec,
    label: `${spec.label} warm-up`,
    plan: { ...spec.plan, durationMs: WARMUP_MS, idPrefix: `${spec.plan.idPrefix}w` },
    warmupMs: 0,
  });
  const meshBefore = cpuOf(meshPids);
  const natsBefore = cpuOf(natsPids);
  const flow = await measureFlow(bench, { ...spec, warmupMs: 0 });
  const perEvent = (seconds: number): number => (seconds * 1e6) / Math.max(1, flow.load.accepted);
  return {
    flow,
    meshUs: perEvent(cpuOf(meshPids) - meshBefore),
    natsUs: perEvent(cpuOf(natsPids) - natsBefore),
  };
}

/**
 * A replica routes to a broker once its own reconciler opened the stream and wired the triggers (a second
 * or so after it starts): until then its ingress answers 404. One probe event is sent until it is taken.
 */
async function acceptsEvents(mesh: MeshProcess, broker: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let n = 0; Date.now() < deadline; n++) {
    const response = await request(mesh.brokerUrl(broker), {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': `sc-probe-${n}`,
        'ce-source': '/bench/sc',
        'ce-type': 'bench.probe',
      },
      body: '',
    });
    await response.body.dump();
    if (response.statusCode === 202) {
      // Triggers are wired just after the broker opens: give them a moment before the load starts.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the second replica did not accept events for ${broker} within 30 s`);
}
