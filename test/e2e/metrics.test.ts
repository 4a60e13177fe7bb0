// /metrics after known traffic (docs/observability.md): Knative 1.17's broker ingress and filter metrics
// with their labels and values, cemesh's backlog, oldest-event age, in-flight, retries, dead letters and
// store commits; and every query of the Grafana dashboard in docs/ names a metric /metrics exposes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { request } from 'undici';
import { broker, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

let server: TestServer;
let metricsText = '';
const subscribers: Subscriber[] = [];
const NS = 'shop';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1] ?? ''] = pair[2] ?? '';
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`. */
function value(name: string, labels: Record<string, string>): number {
  const found = parse(metricsText).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  assert.equal(found.length, 1, `${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]?.value ?? NaN;
}

async function send(type: string, id: string): Promise<void> {
  const res = await request(`${server.ingressUrl}/${NS}/default`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': '/shop',
      'ce-type': type,
      'content-type': 'application/json',
    },
    body: '{}',
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

before(async () => {
  server = await startTestServer();
  const ok = await startSubscriber();
  const failing = await startSubscriber(() => ({ status: 500 }));
  const sink = await startSubscriber();
  subscribers.push(ok, failing, sink);
  await server.apply(
    namespace(NS),
    broker('default', NS),
    trigger(
      'ok',
      { broker: 'default', filter: { attributes: { type: 'order.created' } }, subscriber: { uri: ok.url } },
      NS,
    ),
    trigger(
      'failing',
      {
        broker: 'default',
        filter: { attributes: { type: 'order.cancelled' } },
        subscriber: { uri: failing.url },
        delivery: { retry: 1, backoffDelay: 'PT0.01S', deadLetterSink: { uri: sink.url } },
      },
      NS,
    ),
    trigger('held', { broker: 'default', subscriber: { uri: ok.url } }, NS, {
      'eventing.cemesh.dev/paused': 'true',
    }),
  );
  await send('order.created', 'e1');
  await send('order.created', 'e2');
  await send('order.cancelled', 'e3');
  // ok gets e1, e2; the paused trigger holds all three.
  await ok.waitFor(2);
  await failing.waitFor(2);
  await sink.waitFor(1);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const res = await request(`${server.adminUrl}/metrics`);
  assert.equal(res.statusCode, 200);
  metricsText = await res.body.text();
});

after(async () => {
  await server.stop();
  for (const s of subscribers) await s.close();
});

test("Knative's broker ingress metrics count every event by type and response code", () => {
  const labels = { namespace_name: NS, broker_name: 'default', container_name: 'ingress' };
  const created = {
    ...labels,
    event_type: 'order.created',
    response_code: '202',
    response_code_class: '2xx',
  };
  assert.equal(value('mt_broker_ingress_event_count', created), 2);
  assert.equal(value('mt_broker_ingress_event_dispatch_latencies_count', created), 2);
  assert.equal(value('mt_broker_ingress_event_dispatch_latencies_bucket', { ...created, le: '+Inf' }), 2);
  assert.equal(
    value('mt_broker_ingress_event_count', {
      ...labels,
      event_type: 'order.cancelled',
      response_code: '202',
    }),
    1,
  );
});

test("Knative's broker filter metrics count every attempt by trigger and response code class", () => {
  const labels = { namespace_name: NS, broker_name: 'default', container_name: 'filter' };
  assert.equal(
    value('mt_broker_filter_event_count', {
      ...labels,
      trigger_name: 'ok',
      filter_type: 'order.created',
      event_type: 'order.created',
      response_code: '200',
      response_code_class: '2xx',
    }),
    2,
  );
  const failed = { ...labels, trigger_name: 'failing', response_code: '500', response_code_class: '5xx' };
  assert.equal(value('mt_broker_filter_event_count', failed), 2);
  assert.equal(value('mt_broker_filter_event_dispatch_latencies_count', failed), 2);
});

test('retries, dead letters and store commits are counted', () => {
  assert.equal(value('cemesh_delivery_retries_total', { namespace: NS, trigger: 'failing' }), 1);
  assert.equal(value('cemesh_dead_letters_total', { namespace: NS, trigger: 'failing' }), 1);
  assert.equal(
    value('cemesh_deliveries_total', { namespace: NS, trigger: 'failing', outcome: 'dead-lettered' }),
    1,
  );
  assert.ok(
    value('cemesh_store_commit_seconds_count', { backend: 'memory' }) >= 4,
    'three events, one dead letter',
  );
});

test('backlog, oldest-event age and in-flight per trigger', () => {
  const held = { namespace: NS, broker: 'default', trigger: 'held' };
  assert.equal(value('cemesh_trigger_backlog', { ...held, queue: 'subscriber' }), 3);
  assert.ok(value('cemesh_trigger_oldest_event_age_seconds', { ...held, queue: 'subscriber' }) > 0);
  assert.equal(value('cemesh_trigger_inflight', held), 0);
  const ok = { namespace: NS, broker: 'default', trigger: 'ok' };
  assert.equal(value('cemesh_trigger_backlog', { ...ok, queue: 'subscriber' }), 0);
  assert.equal(value('cemesh_trigger_oldest_event_age_seconds', { ...ok, queue: 'subscriber' }), 0);
  assert.equal(
    value('cemesh_trigger_backlog', { namespace: NS, trigger: 'failing', queue: 'dead-letter' }),
    0,
  );
});

/**
 * Every sample of `name`: its labels, in the order /metrics prints them, and its value; sorted, as
 * concurrent deliveries may first count their series in either order.
 */
function seriesOf(name: string): [string, number][] {
  const labels = (s: Sample): string =>
    Object.entries(s.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  return parse(metricsText)
    .filter((s) => s.name === name)
    .map((s): [string, number] => [labels(s), s.value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface ParsedHistogram {
  readonly buckets: [number, number][];
  readonly sum: number;
  readonly count: number;
}

/** The histogram `name` of exactly these labels (le aside). */
function histogram(name: string, labels: Record<string, string>): ParsedHistogram {
  const exact = (s: Sample): boolean =>
    Object.keys(s.labels).filter((k) => k !== 'le').length === Object.keys(labels).length &&
    Object.entries(labels).every(([k, v]) => s.labels[k] === v);
  const samples = parse(metricsText).filter(exact);
  const buckets = samples
    .filter((s) => s.name === `${name}_bucket`)
    .map((s): [number, number] => [s.labels['le'] === '+Inf' ? Infinity : Number(s.labels['le']), s.value]);
  const one = (suffix: string): number => {
    const found = samples.filter((s) => s.name === `${name}_${suffix}`);
    assert.equal(found.length, 1, `${name}_${suffix} ${JSON.stringify(labels)}`);
    return found[0]?.value ?? NaN;
  };
  return { buckets, sum: one('sum'), count: one('count') };
}

test('the per-event series are exactly those of the traffic, label order included', () => {
  const ingress = (type: string): string =>
    `namespace_name=${NS},broker_name=default,event_type=${type},response_code=202,response_code_class=2xx,` +
    `unique_name=${hostname()},container_name=ingress`;
  assert.deepEqual(seriesOf('mt_broker_ingress_event_count'), [
    [ingress('order.cancelled'), 1],
    [ingress('order.created'), 2],
  ]);
  assert.deepEqual(seriesOf('mt_broker_filter_event_count'), [
    // The dead-letter sink's answer to the failing trigger's last attempt.
    [filterLabels('failing', 'order.cancelled', '200'), 1],
    [filterLabels('failing', 'order.cancelled', '500'), 2],
    [filterLabels('ok', 'order.created', '200'), 2],
  ]);
  assert.deepEqual(seriesOf('cemesh_delivery_attempt_seconds_count'), [
    [`namespace=${NS},trigger=failing,status=200`, 1],
    [`namespace=${NS},trigger=failing,status=500`, 2],
    [`namespace=${NS},trigger=ok,status=200`, 2],
  ]);
  assert.deepEqual(seriesOf('cemesh_deliveries_total'), [
    [`namespace=${NS},trigger=failing,outcome=dead-lettered`, 1],
    [`namespace=${NS},trigger=ok,outcome=delivered`, 2],
  ]);
  assert.deepEqual(seriesOf('cemesh_events_accepted_total'), [[`namespace=${NS},broker=default`, 3]]);
});

function filterLabels(trigger: string, type: string, code: string): string {
  return (
    `namespace_name=${NS},broker_name=default,trigger_name=${trigger},filter_type=${type},event_type=${type},` +
    `response_code=${code},response_code_class=${code[0]}xx,unique_name=${hostname()},container_name=filter`
  );
}

test("each attempt's histograms agree: Knative's in ms, cemesh's in seconds, buckets cumulative", () => {
  const knativeBounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, Infinity];
  const cemeshBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, Infinity];
  for (const [trigger, type, code, count] of [
    ['ok', 'order.created', '200', 2],
    ['failing', 'order.cancelled', '500', 2],
    ['failing', 'order.cancelled', '200', 1],
  ] as const) {
    const labels = Object.fromEntries(
      filterLabels(trigger, type, code)
        .split(',')
        .map((pair) => pair.split('=')),
    ) as Record<string, string>;
    const ms = histogram('mt_broker_filter_event_dispatch_latencies', labels);
    const s = histogram('cemesh_delivery_attempt_seconds', { namespace: NS, trigger, status: code });
    for (const [h, bounds] of [
      [ms, knativeBounds],
      [s, cemeshBounds],
    ] as const) {
      assert.deepEqual(
        h.buckets.map(([le]) => le),
        bounds,
      );
      assert.equal(h.count, count);
      assert.equal(h.buckets.at(-1)?.[1], count, '+Inf is the count');
      h.buckets.forEach(([, v], i) => assert.ok(i === 0 || v >= (h.buckets[i - 1]?.[1] ?? 0), 'cumulative'));
    }
    assert.ok(Math.abs(ms.sum - s.sum * 1000) < 1e-6, `${ms.sum} ms is ${s.sum} s`);
    // Where the two sets of bounds meet, the same attempts lie below them.
    for (const [le, v] of ms.buckets) {
      const same = s.buckets.find(([seconds]) => seconds * 1000 === le);
      if (same !== undefined) assert.equal(same[1], v, `le ${le} ms`);
    }
  }
});

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set([
  'sum',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'by',
  'without',
  'max',
  'min',
  'avg',
  'count',
  'topk',
  'bottomk',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
  'clamp_min',
  'vector',
  'time',
  'label_replace',
  'abs',
  'delta',
  'deriv',
  'max_over_time',
  'sort_desc',
]);

function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '');
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word));
}

test('every query of the Grafana dashboard names a metric that /metrics exposes', () => {
  const dashboard = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  const exposed = new Set([...metricsText.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
  const exprs = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );
  assert.ok(exprs.length >= 8, 'the dashboard has queries');
  for (const { panel, expr } of exprs) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `${panel}: ${expr} names no metric`);
    for (const name of names) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      assert.ok(exposed.has(name) || exposed.has(base), `${panel}: ${name} is not in /metrics`);
    }
  }
});
