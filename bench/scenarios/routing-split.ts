/**
 * S4s, S4 taken apart: what 10,000 triggers cost a broker against what 100 active delivery queues cost it.
 * S4 differs from S1 in two ways at once: it holds 10,000 triggers, and its events keep 100 of them busy (one
 * per type) where S1 keeps one. Four servers run side by side, one subscriber each, and take turns window by
 * window (the order rotates every round), all under the same load of 100 event types:
 *
 * - `1 trigger`: one catch-all trigger (one active queue): S1's shape;
 * - `100 triggers`: one exact-type trigger per type (100 active queues, nothing idle);
 * - `100 triggers, 1 in flight each`: the same with max-inflight 1, so that as many deliveries are in flight
 *   at most (100) as with one trigger;
 * - `10,000 / 1 active`: one catch-all trigger and 9,999 exact-type triggers that nothing matches;
 * - `10,000 / 100 active`: S4 itself (10,000 exact-type triggers, 100 of them matched).
 *
 * Each is reported as the median of its per-round ratios to `1 trigger`, with its CPU per event and its RSS
 * once Ready (before any event).
 */
import { brokerResource, triggerResource, type BackendName, type Resource } from '../mesh.js';
import {
  closeSubscriber,
  listen,
  measureFlow,
  withMesh,
  type Bench,
  type Flow,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { median } from '../paired.js';
import { processAgeMs } from '../proc.js';
import { openPlan } from './baselines.js';
import { ROUTING_TRIGGERS, ROUTING_TYPES } from './routing.js';
import { BROKER } from './throughput.js';

const ROUNDS = 3;

interface Shape {
  readonly key: string;
  readonly name: string;
  /** Triggers to `subscriber` (a URL ending in '/'). */
  readonly triggers: (subscriber: string) => Resource[];
}

const exactTriggers = (
  subscriber: string,
  count: number,
  type: (i: number) => string,
  maxInflight?: number,
): Resource[] =>
  Array.from({ length: count }, (_, i) =>
    triggerResource(`exact-${i}`, {
      broker: BROKER,
      subscriber,
      filters: [{ exact: { type: type(i) } }],
      ...(maxInflight === undefined ? {} : { maxInflight }),
    }),
  );
const catchAll = (subscriber: string): Resource => triggerResource('all', { broker: BROKER, subscriber });

const SHAPES: readonly Shape[] = [
  { key: 'one', name: '1 trigger', triggers: (s) => [catchAll(s)] },
  {
    key: 'active',
    name: `${ROUTING_TYPES} triggers, all active`,
    triggers: (s) => exactTriggers(s, ROUTING_TYPES, (i) => `bench.type.${i}`),
  },
  {
    key: 'active1',
    name: `${ROUTING_TYPES} triggers, all active, 1 in flight each`,
    triggers: (s) => exactTriggers(s, ROUTING_TYPES, (i) => `bench.type.${i}`, 1),
  },
  {
    key: 'idle',
    name: `${ROUTING_TRIGGERS.toLocaleString('en-US')} triggers, 1 active`,
    triggers: (s) => [catchAll(s), ...exactTriggers(s, ROUTING_TRIGGERS - 1, (i) => `bench.idle.${i}`)],
  },
  {
    key: 's4',
    name: `${ROUTING_TRIGGERS.toLocaleString('en-US')} triggers, ${ROUTING_TYPES} active`,
    triggers: (s) => exactTriggers(s, ROUTING_TRIGGERS, (i) => `bench.type.${i}`),
  },
];

interface Running {
  readonly shape: Shape;
  readonly spec: FlowSpec;
  readonly rssReadyMb: number;
  readonly flows: Flow[];
}

export async function runRoutingSplit(bench: Bench, backend: BackendName): Promise<ScenarioResult[]> {
  const running: Running[] = [];
  const started = async (i: number): Promise<ScenarioResult[]> => {
    const shape = SHAPES[i];
    if (shape === undefined) return measureRounds(bench, backend, running);
    const subscriber = await listen(bench);
    try {
      const triggers = shape.triggers(`${subscriber.url}/`);
      return await withMesh(
        bench,
        { backend, startupResources: [brokerResource(BROKER), ...triggers] },
        async (mesh) => {
          await mesh.waitReady(
            'Trigger',
            triggers.map((t) => t.metadata.name),
            300_000,
          );
          running.push({
            shape,
            rssReadyMb: mesh.memory().rssMb,
            flows: [],
            spec: {
              label: `S4s ${shape.key}`,
              cpuPid: mesh.pid,
              plan: openPlan(bench, mesh.brokerUrl(BROKER), `s4s${shape.key}`, ROUTING_TYPES),
              subscribers: [subscriber.name],
              fanout: 1,
            },
          });
          return started(i + 1);
        },
      );
    } finally {
      await closeSubscriber(bench, subscriber.name);
    }
  };
  return started(0);
}

async function measureRounds(
  bench: Bench,
  backend: BackendName,
  running: readonly Running[],
): Promise<ScenarioResult[]> {
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first, so that no shape always follows the same neighbour.
    const order = running.map((_, i) => running[(i + round) % running.length]!);
    for (const r of order) {
      const pid = r.spec.cpuPid ?? -1;
      const from = processAgeMs(pid);
      const flow = await measureFlow(bench, {
        ...r.spec,
        label: `${r.spec.label} (${round + 1}/${ROUNDS})`,
        plan: { ...r.spec.plan, idPrefix: `${r.spec.plan.idPrefix}-${round}` },
        ...(round > 0 ? { warmupMs: 0 } : {}),
      });
      r.flows.push(flow);
      // With --trace-gc and BENCH_SERVER_NODE_FLAGS=--trace-gc-nvp, bench/gc-windows.ts sums the GC of these windows.
      bench.log(
        `  gc-window pid=${pid} shape=${r.shape.key} round=${round + 1} from=${from} to=${processAgeMs(pid)} events=${flow.delivered}`,
      );
    }
  }
  const base = running[0]!;
  return running.map((r) => {
    const ratios = r.flows.map((f, i) => f.deliveredPerS / base.flows[i]!.deliveredPerS);
    const cpu = r.flows.map((f) => f.cpuUsPerEvent).filter((c): c is number => c !== undefined);
    return {
      id: 'S4s',
      name: `routing split, ${r.shape.name}`,
      backend,
      deliveredPerS: median(r.flows.map((f) => f.deliveredPerS)),
      ratio: { value: median(ratios), to: 'S4s 1 trigger' },
      extra: {
        rssReadyMb: Math.round(r.rssReadyMb),
        ...(cpu.length > 0 ? { cpuUsPerEvent: Math.round(median(cpu)) } : {}),
      },
      notes: [
        `ratios ${ratios.map((x) => x.toFixed(2)).join(' ')}`,
        `us/event ${cpu.map((c) => Math.round(c)).join(' ')}`,
      ],
    };
  });
}
