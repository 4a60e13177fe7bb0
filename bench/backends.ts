/**
 * Which backends this run measures. memory and embedded are always there; jetstream needs nats-server on
 * the PATH and a build that serves it, which is probed with a real server and broker before any scenario.
 * Every jetstream server the bench starts gets a NATS server of its own (see mesh.ts).
 */
import { natsServerBinary } from '../test/support/nats.js';
import type { ScenarioResult } from './kit.js';
import { brokerResource, startMesh, type BackendName, type Condition, type MeshProcess } from './mesh.js';

export interface FoundBackends {
  readonly backends: readonly BackendName[];
  /** One row per requested backend that cannot be measured, with the reason. */
  readonly skipped: readonly ScenarioResult[];
}

const PROBE_TIMEOUT_MS = 20_000;

export async function availableBackends(
  requested: readonly BackendName[] | undefined,
  log: (line: string) => void,
  serverBin: string | undefined,
): Promise<FoundBackends> {
  const wanted = requested ?? ['memory', 'embedded', 'jetstream'];
  const backends = wanted.filter((b) => b !== 'jetstream');
  if (!wanted.includes('jetstream')) return { backends, skipped: [] };
  const reason = natsServerBinary() === undefined ? 'nats-server is not on the PATH' : await probe(serverBin);
  if (reason === undefined) {
    log('jetstream: available');
    return { backends: [...backends, 'jetstream'], skipped: [] };
  }
  log(`jetstream: not measured, ${reason}`);
  return { backends, skipped: [{ id: 'all', name: 'scenarios', backend: 'jetstream', skipped: reason }] };
}

/** Starts cemesh on the jetstream backend and creates a broker; undefined when it became Ready. */
async function probe(serverBin: string | undefined): Promise<string | undefined> {
  let mesh: MeshProcess;
  try {
    mesh = await startMesh({ backend: 'jetstream', ...(serverBin ? { serverBin } : {}) });
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
