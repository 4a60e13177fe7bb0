// The per-event metrics calls alone, as one delivery (attempt + outcome) and one ingress event (Knative's
// ingress count and latency, events accepted, store commit) make them: the server's metrics against the same
// calls through prom-client's labelled Counter and Histogram as they were made before issue 20 (the baseline,
// below), in alternating rounds of the same run. Prints nanoseconds and heap bytes per delivery + event.
// node --import tsx bench/metrics.ts [--rounds 9] [--calls 200000]
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { Counter, Histogram, Registry } from 'prom-client';
import type { AttemptStatus, MetricTrigger } from '../src/dataplane/metrics.js';
import { codeClass } from '../src/server/knative-metrics.js';
import { LabelCap } from '../src/server/label-cap.js';
import { createPromMetrics } from '../src/server/metrics.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  // Bytes per call are read from the heap between two collections: a new space large enough that none runs.
  const flags = [
    '--expose-gc',
    '--min-semi-space-size=256',
    '--max-semi-space-size=256',
    ...process.execArgv,
  ];
  const child = spawnSync(process.execPath, [...flags, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const { values } = parseArgs({ options: { rounds: { type: 'string' }, calls: { type: 'string' } } });
const ROUNDS = Number(values.rounds ?? 9);
const CALLS = Number(values.calls ?? 200_000);

/** What one delivery and one ingress event record; `i` varies the event type and durations. */
interface Recorder {
  delivery(i: number): void;
  ingress(i: number): void;
}

const trigger: MetricTrigger = {
  namespace: 'bench',
  name: 'sink',
  broker: { name: 'default' },
  filterType: 'any',
};
const TYPES = ['order.created', 'order.paid', 'order.shipped', 'order.cancelled'];
const DURATIONS = Array.from({ length: 64 }, (_, i) => 0.3 + ((i * 7919) % 997) / 100);

function current(): Recorder {
  const m = createPromMetrics();
  return {
    delivery(i) {
      m.deliveryAttempt(trigger, TYPES[i & 3]!, 202, DURATIONS[i & 63]!);
      m.deliveryOutcome(trigger.namespace, trigger.name, 'delivered');
    },
    ingress(i) {
      const ms = DURATIONS[(i + 5) & 63]!;
      m.ingressEvent('bench', 'default', TYPES[i & 3]!, 202, ms);
      m.storeCommit('memory', ms);
      m.eventsAccepted('bench', 'default', 1);
    },
  };
}

/** The baseline: the same calls as src/server before issue 20, on prom-client's labelled metrics. */
function promClient(): Recorder {
  const registers = [new Registry()];
  const types = new LabelCap(100);
  const unique = hostname();
  const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  const ms = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
  const ingressLabels = [
    ...['namespace_name', 'broker_name', 'event_type', 'response_code', 'response_code_class'],
    ...['unique_name', 'container_name'],
  ];
  const filterLabels = [...ingressLabels, 'trigger_name', 'filter_type'];
  const counter = (name: string, labelNames: string[]): Counter =>
    new Counter({ name, help: name, labelNames, registers });
  const histogram = (name: string, labelNames: string[], buckets: number[]): Histogram =>
    new Histogram({ name, help: name, labelNames, buckets, registers });
  const ingressCount = counter('ic', ingressLabels);
  const ingressLatency = histogram('il', ingressLabels, ms);
  const filterCount = counter('fc', filterLabels);
  const filterLatency = histogram('fl', filterLabels, ms);
  const accepted = counter('a', ['namespace', 'broker']);
  const attempts = histogram('at', ['namespace', 'trigger', 'status'], seconds);
  const outcomes = counter('o', ['namespace', 'trigger', 'outcome']);
  const commits = histogram('c', ['backend'], seconds);
  type Child = { count: { inc(): void }; latency: { observe(v: number): void } };
  const children = new Map<string, Child>();
  const child = (key: string, labels: () => Record<string, string>, filter: boolean): Child => {
    let found = children.get(key);
    if (found === undefined) {
      const v = labels();
      found = filter
        ? { count: filterCount.labels(v), latency: filterLatency.labels(v) }
        : { count: ingressCount.labels(v), latency: ingressLatency.labels(v) };
      children.set(key, found);
    }
    return found;
  };
  const attempt = (t: MetricTrigger, eventType: string, status: AttemptStatus, durationMs: number): void => {
    attempts.observe({ namespace: t.namespace, trigger: t.name, status: String(status) }, durationMs / 1000);
    const type = types.value(eventType);
    const c = child(
      `f\0${t.namespace}\0${t.broker.name}\0${t.name}\0${type}\0${status}\0${t.filterType}`,
      () => ({
        namespace_name: t.namespace,
        broker_name: t.broker.name,
        trigger_name: t.name,
        filter_type: t.filterType,
        event_type: type,
        response_code: String(status),
        response_code_class: codeClass(status),
        unique_name: unique,
        container_name: 'filter',
      }),
      true,
    );
    c.count.inc();
    c.latency.observe(durationMs);
  };
  const ingressEvent = (
    namespace: string,
    broker: string,
    eventType: string,
    status: number,
    d: number,
  ): void => {
    const type = types.value(eventType);
    const c = child(
      `i\0${namespace}\0${broker}\0${type}\0${status}`,
      () => ({
        namespace_name: namespace,
        broker_name: broker,
        event_type: type,
        response_code: String(status),
        response_code_class: codeClass(status),
        unique_name: unique,
        container_name: 'ingress',
      }),
      false,
    );
    c.count.inc();
    c.latency.observe(d);
  };
  return {
    delivery(i) {
      attempt(trigger, TYPES[i & 3]!, 202, DURATIONS[i & 63]!);
      outcomes.inc({ namespace: trigger.namespace, trigger: trigger.name, outcome: 'delivered' });
    },
    ingress(i) {
      const d = DURATIONS[(i + 5) & 63]!;
      ingressEvent('bench', 'default', TYPES[i & 3]!, 202, d);
      commits.observe({ backend: 'memory' }, d / 1000);
      accepted.inc({ namespace: 'bench', broker: 'default' }, 1);
    },
  };
}

/** Nanoseconds per delivery + event over CALLS, then heap bytes per delivery + event over a shorter run. */
function measure(recorder: Recorder): { ns: number; bytes: number } {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    recorder.delivery(i);
    recorder.ingress(i);
  }
  const ns = Number(process.hrtime.bigint() - start) / CALLS;
  const sampled = 20_000;
  gc!();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < sampled; i++) {
    recorder.delivery(i);
    recorder.ingress(i);
  }
  const bytes = (process.memoryUsage().heapUsed - before) / sampled;
  return { ns, bytes };
}

const recorders = { promClient: promClient(), current: current() };
const ratios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const old = measure(recorders.promClient);
  const now = measure(recorders.current);
  ratios.push(now.ns / old.ns);
  console.log(
    `round ${round + 1}: prom-client ${old.ns.toFixed(0)} ns ${old.bytes.toFixed(0)} B, ` +
      `current ${now.ns.toFixed(0)} ns ${now.bytes.toFixed(0)} B, ratio ${(now.ns / old.ns).toFixed(3)}`,
  );
}
ratios.sort((a, b) => a - b);
console.log(`median time ratio current / prom-client: ${ratios[ratios.length >> 1]?.toFixed(3)}`);
