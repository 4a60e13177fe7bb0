/**
 * S0 direct and S0r bare relay: the same load generator and subscriber with no mesh, then with the least
 * possible mesh. S0r is the physical limit of a two-hop HTTP mesh in Node on this machine, and the baseline
 * of every cemesh throughput.
 */
import { forkRpc } from '../rpc.js';
import {
  closeSubscriber,
  flowNotes,
  listen,
  measureFlow,
  windowMs,
  type Bench,
  type ScenarioResult,
} from '../kit.js';

export async function runDirect(bench: Bench): Promise<ScenarioResult> {
  const subscriber = await listen(bench);
  try {
    const flow = await measureFlow(bench, {
      label: 'S0 direct',
      plan: {
        target: `${subscriber.url}/`,
        mode: 'open',
        durationMs: windowMs(bench, 10),
        concurrency: bench.options.concurrency,
        types: 1,
        idPrefix: 's0',
      },
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
  const subscriber = await listen(bench);
  const relay = await forkRpc(
    'relay',
    bench.options.cpuProfDir ? { cpuProfDir: bench.options.cpuProfDir } : {},
  );
  try {
    const { url } = await relay.call<{ url: string }>('start', { target: `${subscriber.url}/` });
    const flow = await measureFlow(bench, {
      label: 'S0r bare relay',
      cpuPid: relay.pid,
      plan: {
        target: url,
        mode: 'open',
        durationMs: windowMs(bench, 10),
        concurrency: bench.options.concurrency,
        types: 1,
        idPrefix: 's0r',
      },
      subscribers: [subscriber.name],
      fanout: 1,
    });
    const direct = bench.results.find((r) => r.id === 'S0' && r.deliveredPerS !== undefined);
    return {
      id: 'S0r',
      name: 'bare relay',
      backend: '-',
      deliveredPerS: flow.deliveredPerS,
      acceptedPerS: flow.acceptedPerS,
      ...(flow.latencyMs ? { latencyMs: flow.latencyMs } : {}),
      ...(direct?.deliveredPerS
        ? { ratio: { value: flow.deliveredPerS / direct.deliveredPerS, to: 'S0' } }
        : {}),
      ...(flow.cpuUsPerEvent !== undefined
        ? { extra: { cpuUsPerEvent: Math.round(flow.cpuUsPerEvent) } }
        : {}),
      notes: flowNotes(flow),
    };
  } finally {
    await relay.close();
    await closeSubscriber(bench, subscriber.name);
  }
}
