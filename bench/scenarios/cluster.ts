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
  type Bench,
  type Flow,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { median } from '../paired.js';
import { openPlan } from './baselines.js';

const PAIRS = 2;
const STREAM_REPLICAS = 3;
const SHARDED = 4;

export async function runClusterScaling(bench: Bench): Promise<ScenarioResult[]> {
  const cluster = await startNatsCluster();
  const nats = { urls: cluster.urls, replicas: STREAM_REPLICAS };
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
  nats: { urls: readonly string[]; replicas: number },
): Promise<ScenarioResult> {
  const singles: Flow[] = [];
  const doubles: Flow[] = [];
  const withSecond = (i: number): Promise<void> =>
    withMesh(bench, { backend: 'jetstream', nats }, async (second) => {
      await acceptsEvents(second, broker);
      const flow = await measureFlow(bench, {
        ...one,
        label: `SC ${shards} shard(s), 2 replicas (${i + 1}/${PAIRS})`,
        plan: { ...one.plan, replicas: [second.brokerUrl(broker)], idPrefix: `sc${shards}two${i}` },
      });
      doubles.push(flow);
    });
  const alone = async (i: number): Promise<void> => {
    singles.push(
      await measureFlow(bench, {
        ...one,
        label: `${one.label} (${i + 1}/${PAIRS})`,
        plan: { ...one.plan, idPrefix: `${one.plan.idPrefix}${i}` },
      }),
    );
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
  const ratios = doubles.map((d, i) => d.deliveredPerS / singles[i]!.deliveredPerS);
  const twoPerS = median(doubles.map((f) => f.deliveredPerS));
  const onePerS = median(singles.map((f) => f.deliveredPerS));
  return {
    id: 'SC',
    name: `jetstream cluster, 2 replicas vs 1, ${shards} shard(s)`,
    backend: 'jetstream',
    deliveredPerS: twoPerS,
    acceptedPerS: median(doubles.map((f) => f.acceptedPerS)),
    ratio: { value: median(ratios), to: '1 replica' },
    extra: { oneReplicaPerS: Math.round(onePerS) },
    notes: [
      `1 replica ${Math.round(onePerS)}/s, ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}`,
      ...flowNotes(doubles[0]!),
    ],
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
