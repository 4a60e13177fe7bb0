/**
 * S4 routing scale: 10,000 triggers on one broker, each with its own exact `type` filter; events spread
 * over 100 of those types, so each event matches one trigger. Delivered/s as a ratio to S1 of the same
 * backend (one catch-all trigger) under the same load of 100 types, measured in turns with that S1 server
 * running beside it (paired.ts). The same with 10,000 CESQL triggers when this build accepts CESQL filters.
 *
 * The triggers are applied through `--config` at start. Applying them through the API is measured on a
 * sample of 1,000 after the load window and reported as triggers/s, since it is what users would do.
 */
import {
  brokerResource,
  triggerResource,
  type BackendName,
  type MeshProcess,
  type Resource,
} from '../mesh.js';
import { closeSubscriber, flowNotes, listen, withMesh, type Bench, type ScenarioResult } from '../kit.js';
import { DEFAULT_PAIRS, measurePaired, ratiosNote } from '../paired.js';
import { openPlan } from './baselines.js';
import { BROKER, withFlowMesh } from './throughput.js';

export const ROUTING_TRIGGERS = 10_000;
export const ROUTING_TYPES = 100;
const API_SAMPLE = 1_000;

type Dialect = 'exact' | 'cesql';

function filterOf(dialect: Dialect, type: string): object {
  return dialect === 'exact' ? { exact: { type } } : { cesql: `type = '${type}'` };
}

function triggers(
  dialect: Dialect,
  subscriber: string,
  count: number,
  typeOf: (i: number) => string,
): Resource[] {
  return Array.from({ length: count }, (_, i) =>
    triggerResource(`${dialect}-${i}`, {
      broker: BROKER,
      subscriber,
      filters: [filterOf(dialect, typeOf(i))],
    }),
  );
}

export async function runRouting(bench: Bench, backend: BackendName): Promise<ScenarioResult[]> {
  const exact = await runDialect(bench, backend, 'exact');
  if (exact.cesqlRefused === undefined)
    return [exact.result, (await runDialect(bench, backend, 'cesql')).result];
  return [
    exact.result,
    {
      id: 'S4',
      name: `routing, ${ROUTING_TRIGGERS.toLocaleString('en-US')} cesql triggers`,
      backend,
      skipped: `this build refuses CESQL filters (${exact.cesqlRefused})`,
    },
  ];
}

async function runDialect(
  bench: Bench,
  backend: BackendName,
  dialect: Dialect,
): Promise<{ result: ScenarioResult; cesqlRefused?: string }> {
  const subscriber = await listen(bench);
  try {
    return await measureDialect(bench, backend, dialect, `${subscriber.url}/`, subscriber.name);
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}

async function measureDialect(
  bench: Bench,
  backend: BackendName,
  dialect: Dialect,
  subscriberUrl: string,
  subscriberName: string,
): Promise<{ result: ScenarioResult; cesqlRefused?: string }> {
  const all = triggers(dialect, subscriberUrl, ROUTING_TRIGGERS, (i) => `bench.type.${i}`);
  // The S1 figure this is judged against runs beside it, on a server of its own, in turns (paired.ts).
  return withFlowMesh(bench, backend, 1, `S1 ${backend} reference`, async (reference) => {
    const started = performance.now();
    return withMesh(bench, { backend, startupResources: [brokerResource(BROKER), ...all] }, async (mesh) => {
      const startS = (performance.now() - started) / 1000;
      await mesh.waitReady(
        'Trigger',
        all.map((t) => t.metadata.name),
        300_000,
      );
      const readyS = (performance.now() - started) / 1000;
      // Steady memory of the 10,000 triggers alone, before any event (issue 20: RSS per 10k triggers).
      const rssReadyMb = mesh.memory().rssMb;
      bench.log(
        `  S4 ${dialect} ${backend}: ${ROUTING_TRIGGERS} triggers ready ${readyS.toFixed(1)} s after start`,
      );
      const paired = await measurePaired(
        bench,
        {
          label: `S4 ${dialect} ${backend}`,
          cpuPid: mesh.pid,
          plan: openPlan(bench, mesh.brokerUrl(BROKER), `s4${dialect}`, ROUTING_TYPES),
          subscribers: [subscriberName],
          fanout: 1,
        },
        // S4's own load (100 types): the ratio is then the cost of the triggers, not of the types. One type
        // instead cost the S1 server 66-71 against 74-75 us an event (BENCHMARKS.md, twelfth session).
        { ...reference, plan: { ...reference.plan, types: ROUTING_TYPES } },
        DEFAULT_PAIRS,
      );
      const flow = paired.subject;
      const extra: Record<string, number> = {
        configStartS: Math.round(startS * 10) / 10,
        allReadyS: Math.round(readyS * 10) / 10,
        rssReadyMb: Math.round(rssReadyMb),
        peakRssMb: Math.round(mesh.memory().peakMb),
        ...(flow.cpuUsPerEvent !== undefined ? { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } : {}),
        // The S1 server's, from its median window: what the goal's ratio would be if CPU alone set it.
        ...(paired.reference.cpuUsPerEvent !== undefined
          ? { s1CpuUsPerEvent: Math.round(paired.reference.cpuUsPerEvent) }
          : {}),
      };
      let cesqlRefused: string | undefined;
      if (dialect === 'exact') {
        extra['apiTriggersPerS'] = Math.round(await measureApiApply(bench, mesh, subscriberUrl));
        cesqlRefused = await probeCesql(mesh, subscriberUrl);
      }
      return {
        result: {
          id: 'S4',
          name: `routing, ${ROUTING_TRIGGERS.toLocaleString('en-US')} ${dialect} triggers`,
          backend,
          deliveredPerS: paired.subjectPerS,
          acceptedPerS: flow.acceptedPerS,
          ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
          ratio: { value: paired.ratio, to: 'S1' },
          extra,
          notes: [ratiosNote(paired, 'S1'), ...flowNotes(flow)],
        },
        ...(cesqlRefused !== undefined ? { cesqlRefused } : {}),
      };
    });
  });
}

/**
 * Creates 1,000 more (never matching) triggers through the API the way `cemesh apply -f` sends a manifest (the
 * apply List, in chunks) and waits for them: triggers/s.
 */
async function measureApiApply(bench: Bench, mesh: MeshProcess, subscriberUrl: string): Promise<number> {
  const sample = triggers('exact', subscriberUrl, API_SAMPLE, (i) => `bench.api.${i}`).map((t) => ({
    ...t,
    metadata: { ...t.metadata, name: `api-${t.metadata.name}` },
  }));
  const started = performance.now();
  const applyMs = await mesh.applyAll(sample);
  await mesh.waitReady(
    'Trigger',
    sample.map((t) => t.metadata.name),
    300_000,
  );
  const totalS = (performance.now() - started) / 1000;
  bench.log(
    `  S4 API: ${API_SAMPLE} triggers created in ${(applyMs / 1000).toFixed(1)} s, Ready after ${totalS.toFixed(1)} s`,
  );
  return API_SAMPLE / totalS;
}

/** Undefined when the API accepts a CESQL trigger, else the API's message. */
async function probeCesql(mesh: MeshProcess, subscriberUrl: string): Promise<string | undefined> {
  try {
    await mesh.apply(triggers('cesql', subscriberUrl, 1, () => 'bench.never'));
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return /"message":"([^"]*)"/.exec(message)?.[1] ?? message;
  }
}
