// The console's pure helpers (src/console/client): formatting, the flow graph and YAML field lines.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ageOf,
  filterSummary,
  namespacePersistence,
  percentText,
  rateText,
  readyOf,
  subscriberOf,
  editable,
} from '../../src/console/client/format.js';
import { buildGraph, shortUri } from '../../src/console/client/graph.js';
import { fieldSegments, lineOfField, parseManifests } from '../../src/console/client/manifests.js';
import type { BrokerStats, Resource } from '../../src/console/client/types.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');

describe('format', () => {
  test('ages read like kubectl', () => {
    const cases: [number, string][] = [
      [45, '45s'],
      [200, '3m20s'],
      [3 * 3600 + 600, '3h10m'],
      [30 * 3600, '30h'],
      [3 * 86400 + 4 * 3600, '3d4h'],
    ];
    for (const [seconds, text] of cases)
      assert.equal(ageOf(new Date(NOW - seconds * 1000).toISOString(), NOW), text);
    assert.equal(ageOf('not a time', NOW), '');
  });

  test('Ready, with reason and message, or Unknown when not reconciled', () => {
    const object = {
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Paused', message: 'm' }] },
    };
    assert.deepEqual(readyOf(object), { status: 'False', reason: 'Paused', message: 'm' });
    assert.equal(readyOf({}).reason, 'NotReconciled');
  });

  test('filter summaries: spec.filters wins over spec.filter', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'all events'],
      [{ filter: { attributes: { type: 'a', subject: '' } } }, 'type = a, subject is set'],
      [
        { filters: [{ prefix: { source: '/eu' } }, { cesql: "type = 'x'" }] },
        "source starts with /eu and CESQL type = 'x'",
      ],
      [
        { filters: [{ any: [{ exact: { type: 'a' } }, { not: { suffix: { type: '.b' } } }] }] },
        'any(type = a | not(type ends with .b))',
      ],
      [{ filter: { attributes: { type: 'ignored' } }, filters: [{ exact: { type: 'won' } }] }, 'type = won'],
    ];
    for (const [spec, text] of cases) assert.equal(filterSummary(spec), text);
  });

  test('a subscriber is its resolved URI, else its ref', () => {
    assert.equal(subscriberOf({ status: { subscriberUri: 'http://a/' } }), 'http://a/');
    assert.equal(
      subscriberOf({ spec: { subscriber: { ref: { kind: 'Function', name: 'resize' } } } }),
      'Function/resize',
    );
  });

  test('namespace persistence says only what is known, never "server default" by itself', () => {
    const ns: Resource = {
      metadata: { name: 'n', annotations: { 'eventing.cemesh.dev/persistence': 'memory' } },
    };
    const broker = { status: { persistence: { kind: 'embedded', source: 'server default' } } };
    assert.equal(namespacePersistence(ns, [broker]), 'annotation asks memory; brokers use embedded');
    assert.equal(namespacePersistence({ metadata: { name: 'n' } }, []), 'no brokers yet');
    assert.equal(
      namespacePersistence({ metadata: { name: 'n' } }, [{ status: {} }]),
      'brokers not reconciled yet',
    );
  });

  test('rates and percentages', () => {
    assert.deepEqual([0, 0.0166, 2.5, 42.4, 1250].map(rateText), [
      '0/s',
      '0.017/s',
      '2.5/s',
      '42/s',
      '1.3k/s',
    ]);
    assert.deepEqual([null, 1, 0.9999, 0].map(percentText), ['\u2013', '100%', '99.9%', '0%']);
  });

  test('an object to edit keeps resourceVersion, drops status and server-set metadata', () => {
    const object: Resource = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', uid: 'u', generation: 2, creationTimestamp: 't', resourceVersion: '7' },
      status: { x: 1 },
    };
    assert.deepEqual(editable(object), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', resourceVersion: '7' },
    });
  });
});

describe('flow graph', () => {
  const ready = { conditions: [{ type: 'Ready', status: 'True' }] };
  const brokers: Resource[] = [{ metadata: { name: 'default', namespace: 'ns' }, status: ready }];
  const triggers: Resource[] = [
    {
      metadata: { name: 'orders', namespace: 'ns' },
      spec: { broker: 'default' },
      status: { ...ready, subscriberUri: 'http://sub:9000/' },
    },
    {
      metadata: { name: 'audit', namespace: 'ns' },
      spec: { broker: 'default' },
      status: { ...ready, subscriberUri: 'http://sub:9000/' },
    },
    {
      metadata: { name: 'lost', namespace: 'ns' },
      spec: { broker: 'other', subscriber: { uri: 'http://x/' } },
    },
  ];
  const stats: BrokerStats = {
    broker: 'default',
    windowSeconds: 60,
    accepted: 12,
    acceptedPerSecond: 0.2,
    sources: { shop: 6 },
    backlog: 1,
    failed: 2,
    triggers: {
      orders: {
        matched: 12,
        delivered: 10,
        failed: 2,
        pending: 0,
        deliveredPerSecond: 10 / 60,
        successRate: 10 / 12,
        latencyMs: null,
        lastError: null,
      },
    },
  };

  test('applications -> brokers -> triggers -> subscribers, one subscriber node per URI, rates on edges', () => {
    const graph = buildGraph({
      applications: ['shop'],
      brokers,
      triggers,
      stats: new Map([['default', stats]]),
    });
    const ids = graph.nodes.map((n) => n.id);
    assert.deepEqual(ids, [
      'app:shop',
      'broker:default',
      'broker:other',
      'trigger:orders',
      'trigger:audit',
      'trigger:lost',
      'subscriber:http://sub:9000/',
      'subscriber:http://x/',
    ]);
    const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
    assert.deepEqual(edge('app:shop', 'broker:default'), {
      from: 'app:shop',
      to: 'broker:default',
      count: 6,
      rate: 0.1,
      failing: false,
    });
    assert.equal(edge('broker:default', 'trigger:orders')?.count, 12);
    assert.equal(edge('trigger:orders', 'subscriber:http://sub:9000/')?.failing, true);
    assert.equal(edge('trigger:audit', 'subscriber:http://sub:9000/')?.count, 0);
    assert.equal(graph.nodes.find((n) => n.id === 'broker:other')?.ok, false, 'a missing broker is marked');
    assert.equal(graph.nodes.find((n) => n.id === 'broker:default')?.ok, false, 'failures mark the broker');
  });

  test('narrow: one band per stage, top to bottom, two nodes a row, within 400 units', () => {
    const graph = buildGraph({
      applications: ['shop'],
      brokers,
      triggers,
      stats: new Map(),
      layout: 'narrow',
    });
    assert.equal(graph.width, 400);
    const y = (id: string) => graph.nodes.find((n) => n.id === id)?.y ?? -1;
    assert.ok(y('app:shop') < y('broker:default') && y('broker:default') < y('trigger:orders'));
    assert.equal(y('trigger:orders'), y('trigger:audit'), 'two triggers share a row');
    assert.ok(y('trigger:lost') > y('trigger:orders'), 'the third wraps');
    assert.ok(graph.nodes.every((n) => n.x >= 0 && n.x + 170 <= 400));
    assert.deepEqual(
      graph.titles.map((t) => t.kind),
      ['application', 'broker', 'trigger', 'subscriber'],
    );
  });

  test('an application alone shows the default broker its events create', () => {
    const graph = buildGraph({ applications: ['shop'], brokers: [], triggers: [], stats: new Map() });
    assert.deepEqual(
      graph.nodes.map((n) => `${n.id} ${n.detail}`),
      ['app:shop application', 'broker:default created on first event'],
    );
  });

  test('short URIs', () => {
    assert.equal(shortUri('http://127.0.0.1:9000/'), '127.0.0.1:9000');
    assert.equal(shortUri('https://a-very-long-host.example.com/path/to/x').length, 26);
  });
});

describe('YAML field lines', () => {
  const text = [
    'apiVersion: eventing.knative.dev/v1',
    'kind: Trigger',
    'metadata:',
    '  name: t',
    '  annotations:',
    '    eventing.cemesh.dev/paused: "yes"',
    'spec:',
    '  filters:',
    '    - exact: {type: a}',
    '    - cesql: "type ="',
    '---',
    'kind: Broker',
    'metadata: {name: b}',
  ].join('\n');

  test('field paths split into keys and indexes; bracketed keys stay whole', () => {
    assert.deepEqual(fieldSegments('spec.filters[1].cesql'), ['spec', 'filters', 1, 'cesql']);
    assert.deepEqual(fieldSegments('metadata.annotations[eventing.cemesh.dev/paused]'), [
      'metadata',
      'annotations',
      'eventing.cemesh.dev/paused',
    ]);
  });

  test('each cause maps to the line that holds its field, or its deepest existing parent', () => {
    const parsed = parseManifests(text);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.manifests.length, 2);
    const [trigger, broker] = parsed.manifests;
    assert.ok(trigger && broker);
    assert.equal(lineOfField(trigger, parsed.lines, 'spec.filters[1].cesql'), 10);
    assert.equal(lineOfField(trigger, parsed.lines, 'metadata.annotations[eventing.cemesh.dev/paused]'), 6);
    assert.equal(
      lineOfField(trigger, parsed.lines, 'spec.subscriber'),
      7,
      'a missing field points at its parent',
    );
    assert.equal(broker.line, 12);
    assert.equal(lineOfField(broker, parsed.lines, 'apiVersion'), 12);
  });

  test('a syntax error names its line and nothing is applied', () => {
    const parsed = parseManifests('kind: Broker\nmetadata:\n  name: a: b\nspec: {}\n');
    assert.ok(parsed.errors.length > 0);
    assert.equal(parsed.errors[0]?.line, 3);
  });
});
