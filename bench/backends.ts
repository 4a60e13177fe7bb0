/**
 * Which backends this run measures. memory and embedded are always there; jetstream needs nats-server on
 * the PATH and a build that serves it, which is probed with a real server and broker before any scenario.
 */
import { natsServerBinary, startNatsServer, type NatsServer } from '../test/support/nats.js';
import type { ScenarioResult } from './kit.js';
import { brokerResource, startMesh, type BackendName, type Condition } from './mesh.js';

export interface FoundBackends {
  readonly backends: readonly BackendName[];
  readonly nats: string | undefined;
  /** One row per requested backend that cannot be measured, with the reason. */
  readonly skipped: readonly ScenarioResult[];
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 20_000;

export async function availableBackends(
  requested: readonly BackendName[] | undefined,
  log: (line: string) => void,
): Promise<FoundBackends> {
  const wanted = requested ?? ['memory', 'embedded', 'jetstream'];
  const backends = wanted.filter((b) => b !== 'jetstream');
  const none = { backends, nats: undefined, skipped: [], close: () => Promise.resolve() };
  if (!wanted.includes('jetstream')) return none;
  const skip = (reason: string): FoundBackends => {
    log(`jetstream: not measured, ${reason}`);
    return { ...none, skipped: [{ id: 'all', name: 'scenarios', backend: 'jetstream', skipped: reason }] };
  };
  if (natsServerBinary() === undefined) return skip('nats-server is not on the PATH');
  let nats: NatsServer;
  try {
    nats = await startNatsServer();
  } catch (error) {
    return skip(`nats-server did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const reason = await probe(nats.url);
  if (reason !== undefined) {
    await nats.dispose();
    return skip(reason);
  }
  log(`jetstream: measured against ${nats.url}`);
  return { backends: [...backends, 'jetstream'], nats: nats.url, skipped: [], close: () => nats.dispose() };
}

/** Starts cemesh on the jetstream backend and creates a broker; undefined when it became Ready. */
async function probe(natsUrl: string): Promise<string | undefined> {
  let mesh;
  try {
    mesh = await startMesh({ backend: 'jetstream', nats: natsUrl });
  } catch (error) {
    return `cemesh serve --backend jetstream did not start: ${firstLine(error)}`;
  }
  try {
    await mesh.apply([brokerResource('probe')]);
    const deadline = Date.now() + PROBE_TIMEOUT_MS;
    let last: Condition | undefined;
    while (Date.now() < deadline) {
      last = await mesh.readyCondition('Broker', 'probe');
      if (last?.status === 'True') return undefined;
      // A reason other than "still working on it" is the answer: stop waiting.
      if (last?.status === 'False' && last.message !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return `a jetstream broker did not become Ready (${last?.message ?? 'no Ready condition'})`;
  } catch (error) {
    return `a jetstream broker did not become Ready (${firstLine(error)})`;
  } finally {
    await mesh.stop();
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
