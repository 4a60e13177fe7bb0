/**
 * S1 throughput (one broker, one trigger, open throttle) and S3 fan-out (ten triggers that all match),
 * per backend, each measured in turns with a bare relay (S0r) running beside it; the ratio is the median
 * of the per-pair ratios (see paired.ts). S1m measures a durable backend in turns with the memory backend
 * itself, the baseline its goal names.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brokerResource, triggerResource, type BackendName, type MeshProcess } from '../mesh.js';
import {
  closeSubscriber,
  flowNotes,
  listen,
  withMesh,
  type Bench,
  type FlowSpec,
  type ScenarioResult,
} from '../kit.js';
import { measurePaired, ratiosNote } from '../paired.js';
import { openPlan, withRelay } from './baselines.js';

export const BROKER = 'bench';

/** Starts a mesh with one broker and `triggers` catch-all triggers to one subscriber (paths /t0, /t1 ...). */
export async function withFlowMesh<T>(
  bench: Bench,
  backend: BackendName,
  triggers: number,
  label: string,
  use: (flow: FlowSpec, mesh: MeshProcess) => Promise<T>,
  env?: Readonly<Record<string, string>>,
): Promise<T> {
  const subscriber = await listen(bench);
  try {
    return await withMesh(bench, { backend, ...(env ? { env } : {}) }, async (mesh) => {
      const names = Array.from({ length: triggers }, (_, i) => `t${i}`);
      await mesh.apply([brokerResource(BROKER)]);
      await mesh.apply(
        names.map((name) =>
          triggerResource(name, { broker: BROKER, subscriber: `${subscriber.url}/${name}` }),
        ),
      );
      await mesh.waitReady('Trigger', names);
      const flow: FlowSpec = {
        label,
        cpuPid: mesh.pid,
        plan: openPlan(bench, mesh.brokerUrl(BROKER), label.replace(/\W/g, '').toLowerCase()),
        subscribers: [subscriber.name],
        fanout: triggers,
      };
      return await use(flow, mesh);
    });
  } finally {
    await closeSubscriber(bench, subscriber.name);
  }
}

export async function runThroughput(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return runAgainstRelay(bench, backend, 1);
}

/**
 * S1t: S1 with tracing on, exporting every span with OTLP/HTTP to a sink in this process that answers 200
 * (what a collector on the same host costs the server: building, batching and sending spans). Run beside S1
 * (`--scenario S1,S1t`) it gives tracing's cost; each is paired with its own S0r.
 */
export async function runTracedThroughput(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  const sink = await startOtlpSink();
  try {
    const result = await runAgainstRelay(bench, backend, 1, {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_SERVICE_NAME: 'cemesh-bench',
    });
    return {
      ...result,
      id: 'S1t',
      name: 'throughput, 1 trigger, tracing on',
      notes: [
        ...(result.notes ?? []),
        `OTLP sink got ${sink.requests} export(s), ${Math.round(sink.bytes / 1e6)} MB`,
      ],
    };
  } finally {
    await sink.close();
  }
}

async function startOtlpSink(): Promise<{
  url: string;
  requests: number;
  bytes: number;
  close(): Promise<void>;
}> {
  const state = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (state.bytes += chunk.length));
    req.on('end', () => {
      state.requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return state.requests;
    },
    get bytes() {
      return state.bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function runFanoutScenario(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return runAgainstRelay(bench, backend, 10);
}

async function runAgainstRelay(
  bench: Bench,
  backend: BackendName,
  triggers: number,
  env?: Readonly<Record<string, string>>,
): Promise<ScenarioResult> {
  const id = triggers === 1 ? (env ? 'S1t' : 'S1') : 'S3';
  return withRelay(bench, (relay) =>
    withFlowMesh(
      bench,
      backend,
      triggers,
      `${id} ${backend}`,
      async (flow, mesh) => {
        const paired = await measurePaired(bench, flow, relay);
        const subject = paired.subject;
        const perPath = Object.values(Object.values(subject.stats)[0]?.paths ?? {});
        return {
          id,
          name: triggers === 1 ? 'throughput, 1 trigger' : `fan-out, ${triggers} triggers (deliveries/s)`,
          backend,
          deliveredPerS: paired.subjectPerS,
          acceptedPerS: subject.acceptedPerS,
          ...(subject.latencyMs ? { latencyMs: subject.latencyMs } : {}),
          ratio: { value: paired.ratio, to: 'S0r' },
          extra: {
            peakRssMb: Math.round(mesh.memory().peakMb),
            ...(subject.cpuUsPerEvent !== undefined
              ? { cpuUsPerEvent: Math.round(subject.cpuUsPerEvent) }
              : {}),
            ...(paired.reference.cpuUsPerEvent !== undefined
              ? { relayCpuUsPerEvent: Math.round(paired.reference.cpuUsPerEvent) }
              : {}),
            ...(triggers > 1
              ? { minPerTrigger: Math.min(...perPath), maxPerTrigger: Math.max(...perPath) }
              : {}),
          },
          notes: [ratiosNote(paired, 'S0r'), ...flowNotes(subject)],
        };
      },
      env,
    ),
  );
}

/**
 * S1m: S1 on `backend` in turns with S1 on memory, each server with its own subscriber, so that the ratio
 * the goal names (backend against memory) is one pair's, not two ratios to two sets of relay windows
 * divided (which carries both sets' spread).
 */
export async function runAgainstMemory(bench: Bench, backend: BackendName): Promise<ScenarioResult> {
  return withFlowMesh(bench, 'memory', 1, 'S1m memory', (memoryFlow) =>
    withFlowMesh(bench, backend, 1, `S1m ${backend}`, async (flow, mesh) => {
      const paired = await measurePaired(bench, flow, memoryFlow);
      const subject = paired.subject;
      return {
        id: 'S1m',
        name: 'throughput, 1 trigger, against memory',
        backend,
        deliveredPerS: paired.subjectPerS,
        acceptedPerS: subject.acceptedPerS,
        ...(subject.latencyMs ? { latencyMs: subject.latencyMs } : {}),
        ratio: { value: paired.ratio, to: 'S1 memory' },
        extra: {
          peakRssMb: Math.round(mesh.memory().peakMb),
          ...(subject.cpuUsPerEvent !== undefined
            ? { cpuUsPerEvent: Math.round(subject.cpuUsPerEvent) }
            : {}),
          ...(paired.reference.cpuUsPerEvent !== undefined
            ? { memoryCpuUsPerEvent: Math.round(paired.reference.cpuUsPerEvent) }
            : {}),
        },
        notes: [ratiosNote(paired, 'S1 memory'), ...flowNotes(subject)],
      };
    }),
  );
}
