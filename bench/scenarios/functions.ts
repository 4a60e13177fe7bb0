/**
 * SF: a trivial hosted function (docs/functions.md) against a plain HTTP subscriber, in the same cemesh
 * process and the same run. Two brokers, one trigger each: one to the bench's subscriber server, one to a
 * Function whose `main` returns nothing. Windows alternate (plain, function, function, plain, ...) and the ratio
 * is the median of the per-pair ratios (paired.ts). The function side counts deliveries from cemesh's own
 * `cemesh_function_calls_total`, polled every 50 ms, since no bench subscriber sees them.
 */
import { brokerResource, triggerResource, type BackendName, type MeshProcess } from '../mesh.js';
import {
  closeSubscriber,
  listen,
  measureFlow,
  withMesh,
  type Bench,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import type { LoadPlan, LoadResult } from '../loadgen.js';
import { median } from '../paired.js';
import { openPlan } from './baselines.js';

const PAIRS = 3;
const FUNCTION = 'noop';

const noopFunction = {
  apiVersion: 'serverless.kyma-project.io/v1alpha2',
  kind: 'Function',
  metadata: { name: FUNCTION, namespace: 'default' },
  spec: { runtime: 'nodejs20', source: { inline: { source: 'module.exports = { main() {} };' } } },
};

async function calls(mesh: MeshProcess): Promise<number> {
  const text = await mesh.metrics();
  const match = /^cemesh_function_calls_total\{namespace="default",function="noop"\} (\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/** One window into the function: the load, then the calls until all accepted events arrived. */
async function functionWindow(bench: Bench, mesh: MeshProcess, plan: LoadPlan): Promise<number> {
  const before = await calls(mesh);
  const load = await bench.loadgen.call<LoadResult>('run', plan);
  let seen = before;
  let lastMove = Date.now();
  let lastAt = Date.now();
  while (seen - before < load.accepted && Date.now() - lastMove < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await calls(mesh);
    if (now !== seen) {
      seen = now;
      lastMove = lastAt = Date.now();
    }
  }
  return (seen - before) / ((lastAt - load.startedAt) / 1000);
}

export async function runFunctions(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  const subscriber = await listen(bench);
  try {
    return await withMesh(bench, { backend }, async (mesh) => {
      await mesh.apply([brokerResource('plain'), brokerResource('fn'), noopFunction as never]);
      await mesh.apply([
        triggerResource('to-plain', { broker: 'plain', subscriber: `${subscriber.url}/plain` }),
        triggerResource('to-fn', {
          broker: 'fn',
          subscriber: `http://${FUNCTION}.default.svc.cluster.local`,
        }),
      ]);
      await mesh.waitReady('Function', [FUNCTION], 60_000);
      await mesh.waitReady('Trigger', ['to-plain', 'to-fn']);
      const plain: FlowSpec = {
        label: `SF plain ${backend}`,
        cpuPid: mesh.pid,
        plan: openPlan(bench, mesh.brokerUrl('plain'), 'sfplain'),
        subscribers: [subscriber.name],
        fanout: 1,
      };
      const fnPlan = openPlan(bench, mesh.brokerUrl('fn'), 'sffn');
      // Warm the function side up (JIT, connections) as measureFlow does for the plain side.
      await functionWindow(bench, mesh, { ...fnPlan, idPrefix: 'sffn-warm', durationMs: 2000 });
      const plainRates: number[] = [];
      const fnRates: number[] = [];
      for (let i = 0; i < PAIRS; i++) {
        const runPlain = async (): Promise<void> => {
          const flow = await measureFlow(bench, {
            ...plain,
            label: `${plain.label} (${i + 1}/${PAIRS})`,
            plan: { ...plain.plan, idPrefix: `sfplain-${i}` },
            ...(i > 0 ? { warmupMs: 0 } : {}),
          });
          plainRates.push(flow.deliveredPerS);
        };
        const runFunction = async (): Promise<void> => {
          process.stderr.write(`SF function ${backend} (${i + 1}/${PAIRS})\n`);
          fnRates.push(await functionWindow(bench, mesh, { ...fnPlan, idPrefix: `sffn-${i}` }));
        };
        if (i % 2 === 0) {
          await runPlain();
          await runFunction();
        } else {
          await runFunction();
          await runPlain();
        }
      }
      const ratios = fnRates.map((rate, i) => rate / plainRates[i]!);
      return {
        id: 'SF',
        name: 'trivial function vs plain subscriber',
        backend,
        deliveredPerS: median(fnRates),
        ratio: { value: median(ratios), to: 'plain subscriber' },
        extra: { plainPerS: Math.round(median(plainRates)), peakRssMb: Math.round(mesh.memory().peakMb) },
        notes: [
          `plain ${plainRates.map((r) => Math.round(r)).join(' ')}/s, function ${fnRates.map((r) => Math.round(r)).join(' ')}/s, ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}`,
        ],
      };
    });
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}
