/**
 * S6 slow subscriber: two triggers on one broker match every event; one subscriber answers after 200 ms,
 * the other at once. The fast one's sustained throughput must stay within 10% of S1 of the same backend,
 * measured in turns with an S1 server running beside it (paired.ts). The slow trigger's backlog keeps
 * draining in the background during the S1 windows too, which is what a real mesh would be doing.
 */
import { brokerResource, triggerResource, type BackendName } from '../mesh.js';
import { closeSubscriber, flowNotes, listen, withMesh, type Bench, type ScenarioResult } from '../kit.js';
import { measurePaired, ratiosNote } from '../paired.js';
import { openPlan } from './baselines.js';
import { BROKER, withFlowMesh } from './throughput.js';

export const SLOW_MS = 200;

export async function runSlowSubscriber(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  const fast = await listen(bench);
  const slow = await listen(bench, { delayMs: SLOW_MS });
  try {
    return await withFlowMesh(bench, backend, 1, `S1 ${backend} reference`, (reference) =>
      withMesh(bench, { backend }, async (mesh) => {
        await mesh.apply([
          brokerResource(BROKER),
          triggerResource('fast', { broker: BROKER, subscriber: `${fast.url}/` }),
          triggerResource('slow', { broker: BROKER, subscriber: `${slow.url}/` }),
        ]);
        await mesh.waitReady('Trigger', ['fast', 'slow']);
        const paired = await measurePaired(
          bench,
          {
            label: `S6 ${backend}`,
            cpuPid: mesh.pid,
            plan: openPlan(bench, mesh.brokerUrl(BROKER), 's6'),
            subscribers: [fast.name, slow.name],
            fanout: 2,
            // Only the fast subscriber is waited for: the slow one drains at 500/s per 100 in flight.
            complete: [fast.name],
          },
          reference,
        );
        const flow = paired.subject;
        const slowStats = flow.stats[slow.name];
        const slowPerS =
          slowStats?.lastAt !== undefined
            ? slowStats.count / ((slowStats.lastAt - flow.load.startedAt) / 1000)
            : 0;
        return {
          id: 'S6',
          name: `slow subscriber (${SLOW_MS} ms) beside a fast one`,
          backend,
          deliveredPerS: paired.subjectPerS,
          acceptedPerS: flow.acceptedPerS,
          ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
          ratio: { value: paired.ratio, to: 'S1' },
          extra: {
            slowDeliveredPerS: Math.round(slowPerS),
            // The slow trigger's deliveries are work the fast one's S1 reference does not do: both together
            // against S1 say what the server delivered in all.
            bothVsS1: Math.round(((paired.subjectPerS + slowPerS) / paired.referencePerS) * 100) / 100,
            peakRssMb: Math.round(mesh.memory().peakMb),
            ...(flow.cpuUsPerEvent !== undefined ? { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } : {}),
          },
          notes: [ratiosNote(paired, 'S1'), ...flowNotes(flow)],
        };
      }),
    );
  } finally {
    await closeSubscriber(bench, fast.name);
    await closeSubscriber(bench, slow.name);
  }
}
