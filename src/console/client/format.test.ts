// The console's pure browser helpers, run in a bare vm context (no DOM), table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { FORMAT_SCRIPT } from './format.js';

interface Format {
  ageOf(timestamp: unknown, now: number): string;
  readyOf(object: unknown): { status: string; reason: string; message: string };
  filterSummary(spec: unknown): string;
  subscriberOf(trigger: unknown): string;
  persistenceOf(broker: unknown): string;
  dataPreview(event: unknown, max?: number): string;
  lastResult(attempts: unknown): string;
  keyOf(object: unknown): string;
}

const format = runInNewContext(
  `${FORMAT_SCRIPT}; ({ ageOf, readyOf, filterSummary, subscriberOf, persistenceOf, dataPreview, lastResult, keyOf })`,
) as Format;

test('ageOf prints kubectl-style ages', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const cases: [number, string][] = [
    [0, '0s'],
    [45, '45s'],
    [119, '119s'],
    [200, '3m20s'],
    [180, '3m'],
    [30 * 60, '30m'],
    [5 * 3600 + 600, '5h10m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 4 * 3600, '3d4h'],
    [20 * 86400, '20d'],
  ];
  for (const [seconds, want] of cases) {
    assert.equal(format.ageOf(new Date(now - seconds * 1000).toISOString(), now), want, `${seconds}s`);
  }
  assert.equal(format.ageOf(undefined, now), '');
});

test('readyOf reads the Ready condition, Unknown when there is none', () => {
  const broker = {
    status: {
      conditions: [
        { type: 'Addressable', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'BrokerDoesNotExist', message: 'no broker' },
      ],
    },
  };
  assert.deepEqual(
    { ...format.readyOf(broker) },
    {
      status: 'False',
      reason: 'BrokerDoesNotExist',
      message: 'no broker',
    },
  );
  assert.equal(format.readyOf({}).status, 'Unknown');
});

test('filterSummary describes each dialect, and spec.filters overrides spec.filter', () => {
  const cases: [unknown, string][] = [
    [{}, 'all events'],
    [{ filter: { attributes: {} } }, 'all events'],
    [
      { filter: { attributes: { type: 'order.created', source: '' } } },
      'type = order.created, source is set',
    ],
    [
      {
        filters: [{ exact: { type: 'a' } }, { prefix: { source: '/shop' } }],
        filter: { attributes: { x: 'y' } },
      },
      'type = a and source starts with /shop',
    ],
    [{ filters: [{ suffix: { type: '.v1' } }] }, 'type ends with .v1'],
    [{ filters: [{ cesql: "type LIKE 'order.%'" }] }, "CESQL type LIKE 'order.%'"],
    [
      { filters: [{ any: [{ exact: { type: 'a' } }, { not: { exact: { type: 'b' } } }] }] },
      'any(type = a | not(type = b))',
    ],
    [
      { filters: [{ all: [{ exact: { type: 'a' } }, { exact: { source: 's' } }] }] },
      'all(type = a; source = s)',
    ],
    [{ filters: [], filter: { attributes: { type: 't' } } }, 'type = t'],
  ];
  for (const [spec, want] of cases) assert.equal(format.filterSummary(spec), want, JSON.stringify(spec));
});

test('subscriberOf prefers the resolved URI, then the spec', () => {
  assert.equal(format.subscriberOf({ status: { subscriberUri: 'http://a/' }, spec: {} }), 'http://a/');
  assert.equal(format.subscriberOf({ spec: { subscriber: { uri: 'http://b/' } } }), 'http://b/');
  assert.equal(
    format.subscriberOf({ spec: { subscriber: { ref: { kind: 'Service', name: 's' } } } }),
    'Service/s',
  );
  assert.equal(format.subscriberOf({ spec: {} }), '');
});

test('persistenceOf names the backend and what chose it', () => {
  assert.equal(
    format.persistenceOf({ status: { persistence: { kind: 'embedded', source: 'server default' } } }),
    'embedded (server default)',
  );
  assert.equal(format.persistenceOf({ status: {} }), '');
});

test('dataPreview shows JSON data as JSON, long data truncated, bytes by size', () => {
  assert.equal(format.dataPreview({ data: { n: 1 } }), '{"n":1}');
  assert.equal(format.dataPreview({ data: 'plain text' }), 'plain text');
  assert.equal(format.dataPreview({ data: 'x'.repeat(30) }, 10), `${'x'.repeat(9)}\u2026`);
  assert.equal(format.dataPreview({ data_base64: 'AAAA' }), '(3 bytes, base64)');
  assert.equal(format.dataPreview({}), '');
});

test('lastResult prints the last attempt as its status or its error', () => {
  assert.equal(format.lastResult([]), '');
  assert.equal(format.lastResult([{ status: 503 }, { status: 200, target: 'subscriber' }]), 'HTTP 200');
  assert.equal(format.lastResult([{ status: 202, target: 'dead-letter' }]), 'HTTP 202 (dead-letter sink)');
  assert.equal(format.lastResult([{ error: 'timeout after 1000 ms' }]), 'timeout after 1000 ms');
});

test('keyOf keys namespaced objects by namespace/name and cluster-scoped ones by name', () => {
  assert.equal(format.keyOf({ metadata: { namespace: 'ns', name: 'b' } }), 'ns/b');
  assert.equal(format.keyOf({ metadata: { name: 'app' } }), 'app');
});
