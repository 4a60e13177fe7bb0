/**
 * S0 direct and S0r bare relay: the same load generator and subscriber with no mesh, then with the least
 * possible mesh. S0r is the physical limit of a two-hop HTTP mesh in Node on this machine, and the baseline
 * of every cemesh throughput; throughput scenarios run a relay beside the mesh (withRelay) and compare
 * window by window.
 */
import { forkRpc } from '../rpc.js';
import {
  closeSubscriber,
  flowNotes,
  listen,
  measureFlow,
  windowMs,
  type Bench,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { measurePaired, ratiosNote } from '../paired.js';

/** The load every open-throttle scenario applies, aimed at `target`. */
export function openPlan(bench: Bench, target: string, idPrefix: string, types = 1): FlowSpec['plan'] {
  return {
    target,
    mode: 'open',
    durationMs: windowMs(bench, 5),
    concurrency: bench.options.concurrency,
    types,
    idPrefix,
  };
}

/** A flow through a bare relay to a subscriber of its own, for pairing with a mesh measurement. */
export async function withRelay<T>(bench: Bench, use: (relay: FlowSpec) => Promise<T>): Promise<T> {
  const subscriber = await listen(bench);
  const relay = await forkRpc('relay', {
    cpuProfDir: bench.options.cpuProfDir,
    compiledDir: bench.benchDist,
  });
  try {
    const { url } = await relay.call<{ url: string }>('start', { target: `${subscriber.url}/` });
    return await use({
      label: 'S0r relay',
      cpuPid: relay.pid,
      plan: openPlan(bench, url, 's0r'),
      subscribers: [subscriber.name],
      fanout: 1,
    });
  } finally {
    await relay.close();
    await closeSubscriber(bench, subscriber.name);
  }
}

export async function runDirect(bench: Bench): Promise<ScenarioResult> {
  const subscriber = await listen(bench);
  try {
    const flow = await measureFlow(bench, {
      label: 'S0 direct',
      plan: openPlan(bench, `${subscriber.url}/`, 's0'),
      subscribers: [subscriber.name],
      fanout: 1,
    });
    return {
      id: 'S0',
      name: 'direct (no mesh)',
      backend: '-',
      deliveredPerS: flow.deliveredPerS,
      acceptedPerS: flow.acceptedPerS,
      ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
      notes: flowNotes(flow),
    };
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}

export async function runRelay(bench: Bench): Promise<ScenarioResult> {
  const direct = await listen(bench);
  try {
    return await withRelay(bench, async (relay) => {
      const paired = await measurePaired(
        bench,
        relay,
        {
          label: 'S0 direct',
          plan: openPlan(bench, `${direct.url}/`, 's0p'),
          subscribers: [direct.name],
          fanout: 1,
        },
        2,
      );
      const flow = paired.subject;
      return {
        id: 'S0r',
        name: 'bare relay',
        backend: '-',
        deliveredPerS: paired.subjectPerS,
        acceptedPerS: flow.acceptedPerS,
        ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
        ratio: { value: paired.ratio, to: 'S0' },
        ...(flow.cpuUsPerEvent !== undefined
          ? { extra: { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } }
          : {}),
        notes: [ratiosNote(paired, 'S0'), ...flowNotes(flow)],
      };
    });
  } finally {
    await closeSubscriber(bench, direct.name);
  }
}
