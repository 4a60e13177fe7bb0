/**
 * S5 backlog: 100,000 events accepted while the subscriber is down (it reads requests and answers none),
 * then it comes up. Reports the drain rate (deliveries / time from `up` to the last delivery) and the
 * server's peak RSS. The drain is judged against S1 windows of a server running beside it, one just before
 * the subscriber comes up and one just after the drain (their mean).
 */
import { brokerResource, triggerResource, type BackendName } from '../mesh.js';
import {
  closeSubscriber,
  listen,
  measureFlow,
  subscriberStats,
  waitForDeliveries,
  withMesh,
  type Bench,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import type { LoadResult } from '../loadgen.js';
import { BROKER, withFlowMesh } from './throughput.js';

export const BACKLOG_EVENTS = 100_000;

export async function runBacklog(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return withFlowMesh(bench, backend, 1, `S1 ${backend} reference`, (reference) =>
    runBacklogBeside(bench, backend, reference),
  );
}

async function runBacklogBeside(
  bench: Bench,
  backend: BackendName,
  reference: FlowSpec,
): Promise<ScenarioResult> {
  const subscriber = await listen(bench, { down: true });
  const label = `S5 ${backend}`;
  try {
    return await withMesh(bench, { backend }, async (mesh) => {
      // The held deliveries must outlive the down period rather than time out and wait out a backoff.
      const delivery = { timeout: 'PT300S' };
      await mesh.apply([
        brokerResource(BROKER),
        triggerResource('t0', { broker: BROKER, subscriber: `${subscriber.url}/`, delivery }),
      ]);
      await mesh.waitReady('Trigger', ['t0']);
      const rssBefore = mesh.memory().rssMb;
      const load = await bench.loadgen.call<LoadResult>('run', {
        target: mesh.brokerUrl(BROKER),
        mode: 'count',
        count: BACKLOG_EVENTS,
        concurrency: bench.options.concurrency,
        types: 1,
        idPrefix: 's5',
      });
      const acceptedPerS = load.accepted / ((load.endedAt - load.startedAt) / 1000);
      bench.log(
        `  ${label}: ${load.accepted} accepted at ${Math.round(acceptedPerS)}/s; subscriber comes up`,
      );
      // The peak so far tells whether the high mark is set while events come in or while they drain.
      const { rssMb: backlogRssMb, peakMb: ingestPeakMb } = mesh.memory();
      const before = await measureFlow(bench, reference);
      const cpuBefore = mesh.cpuSeconds();
      await bench.subscribers.call('up', { name: subscriber.name });
      const delivered = await waitForDeliveries(bench, label, [subscriber.name], load.accepted, 30_000);
      const drainCpuUs = (mesh.cpuSeconds() - cpuBefore) * 1e6;
      const after = await measureFlow(bench, { ...reference, warmupMs: 0 });
      const s1PerS = (before.deliveredPerS + after.deliveredPerS) / 2;
      const stats = await subscriberStats(bench, subscriber.name);
      const drainS = ((stats.lastAt ?? 0) - (stats.upAt ?? 0)) / 1000;
      const deliveredPerS = delivered / drainS;
      const notes: string[] = [
        `S1 beside it ${Math.round(before.deliveredPerS)}/s before, ${Math.round(after.deliveredPerS)}/s after`,
      ];
      if (delivered < load.accepted) notes.push(`incomplete: ${delivered} of ${load.accepted} delivered`);
      if (load.failed > 0) notes.push(`ingress failures: ${JSON.stringify(load.failures)}`);
      return {
        id: 'S5',
        name: `backlog of ${BACKLOG_EVENTS.toLocaleString('en-US')}, drain`,
        backend,
        deliveredPerS,
        acceptedPerS,
        ratio: { value: deliveredPerS / s1PerS, to: 'S1' },
        extra: {
          peakRssMb: Math.round(mesh.memory().peakMb),
          rssBeforeMb: Math.round(rssBefore),
          rssWithBacklogMb: Math.round(backlogRssMb),
          peakIngestMb: Math.round(ingestPeakMb),
          drainS: Math.round(drainS * 10) / 10,
          cpuUsPerEvent: Math.round(drainCpuUs / Math.max(1, delivered)),
        },
        notes,
      };
    });
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}
