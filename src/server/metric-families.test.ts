// The per-event counters and histograms against prom-client's own: the same operations must give the same
// /metrics text, byte for byte, and the same JSON.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { CounterFamily, HistogramFamily } from './metric-families.js';

const BUCKETS = [0.5, 1, 2.5, 10];
const LABELS = ['namespace', 'trigger', 'status'];

/** One operation on both implementations: inc (counter) or observe (histogram), or a reset of both. */
type Op = { values: [string, string, string]; amount: number } | 'reset';

interface Pair {
  readonly theirs: Registry<RegistryContentType>;
  readonly ours: Registry<RegistryContentType>;
  apply(op: Op): void;
}

/** prom-client's metric and ours on two registries; `count` records one op on both. */
function pair(
  format: RegistryContentType,
  count: (
    theirs: Registry<RegistryContentType>,
    ours: Registry<RegistryContentType>,
  ) => (labels: Record<string, string>, values: readonly string[], amount: number) => void,
): Pair {
  const [theirs, ours] = [registry(format), registry(format)];
  const record = count(theirs, ours);
  return {
    theirs,
    ours,
    apply(op) {
      if (op === 'reset') {
        theirs.resetMetrics();
        ours.resetMetrics();
        return;
      }
      const [namespace, trigger, status] = op.values;
      record({ namespace, trigger, status }, op.values, op.amount);
    },
  };
}

function counters(format: RegistryContentType = Registry.PROMETHEUS_CONTENT_TYPE): Pair {
  return pair(format, (theirs, ours) => {
    const options = { name: 'x_total', help: 'Things "counted"\nhere \\ there', labelNames: LABELS };
    const reference = new Counter({ ...options, registers: [theirs] });
    const family = new CounterFamily({ ...options, registry: ours });
    return (labels, values, amount) => {
      reference.inc(labels, amount);
      family.series(values).inc(amount);
    };
  });
}

function histograms(format: RegistryContentType = Registry.PROMETHEUS_CONTENT_TYPE): Pair {
  return pair(format, (theirs, ours) => {
    const options = { name: 'x_seconds', help: 'Durations', labelNames: LABELS, buckets: BUCKETS };
    const reference = new Histogram({ ...options, registers: [theirs] });
    const family = new HistogramFamily({ ...options, registry: ours });
    return (labels, values, amount) => {
      reference.observe(labels, amount);
      family.series(values).observe(amount);
    };
  });
}

function registry(format: RegistryContentType): Registry<RegistryContentType> {
  const made: Registry<RegistryContentType> = new Registry();
  made.setContentType(format);
  return made;
}

const a: [string, string, string] = ['ns', 't', '202'];
const b: [string, string, string] = ['ns', 't', 'timeout'];
const odd: [string, string, string] = ['n"s', 'a\\b', 'line\nbreak'];

const cases: { name: string; ops: Op[] }[] = [
  { name: 'nothing counted', ops: [] },
  { name: 'one series', ops: [{ values: a, amount: 1 }] },
  {
    name: 'series interleaved, shown in the order first counted',
    ops: [
      { values: b, amount: 0.25 },
      { values: a, amount: 3 },
      { values: b, amount: 7 },
      { values: a, amount: 0.5 },
    ],
  },
  {
    name: 'on a bound, above the last, zero and fractions',
    ops: [0, 0.5, 1, 1.0000001, 2.5, 10, 10.5, 1e9, 0.1, 0.2, 0.3].map((amount) => ({ values: a, amount })),
  },
  { name: 'label values that need escaping', ops: [{ values: odd, amount: 2 }] },
  {
    name: 'a reset empties, then counting starts again from zero',
    ops: [
      { values: a, amount: 2 },
      { values: b, amount: 1 },
      'reset',
      { values: b, amount: 4 },
      { values: a, amount: 1 },
    ],
  },
];

for (const [kind, make] of [
  ['counter', counters],
  ['histogram', histograms],
] as const) {
  describe(`${kind}: same exposition as prom-client's`, () => {
    for (const { name, ops } of cases) {
      test(name, async () => {
        const pair = make();
        for (const op of ops) pair.apply(op);
        assert.equal(await pair.ours.metrics(), await pair.theirs.metrics());
        assert.deepEqual(await pair.ours.getMetricsAsJSON(), await pair.theirs.getMetricsAsJSON());
      });
    }
    test('also in OpenMetrics format', async () => {
      const pair = make(Registry.OPENMETRICS_CONTENT_TYPE);
      for (const op of cases[2]?.ops ?? []) pair.apply(op);
      assert.equal(await pair.ours.metrics(), await pair.theirs.metrics());
    });
  });
}

describe('series', () => {
  test('the same label values give the same series; values that only join alike do not', () => {
    const family = new CounterFamily({
      name: 'y_total',
      help: 'h',
      labelNames: ['a', 'b'],
      registry: new Registry(),
    });
    assert.equal(family.series(['x', 'y']), family.series(['x', 'y']));
    assert.notEqual(family.series(['x\u0000', 'y']), family.series(['x', '\u0000y']));
    assert.deepEqual(family.series(['1', '2']).labels, { a: '1', b: '2' });
  });

  const refusals: { name: string; make: () => unknown; error: RegExp }[] = [
    {
      name: 'a counter going down',
      make: () => family().series(['v']).inc(-1),
      error: /cannot decrease/,
    },
    {
      name: 'a count that is not a number',
      make: () => family().series(['v']).inc(NaN),
      error: /not a valid/,
    },
    { name: 'an infinite count', make: () => family().series(['v']).inc(Infinity), error: /not a valid/ },
    {
      name: 'an observation that is not finite',
      make: () => histogram(['v']).series(['v']).observe(NaN),
      error: /not a valid/,
    },
    { name: 'too few label values', make: () => family().series([]), error: /0 label values for 1/ },
    { name: 'a bad metric name', make: () => family('1x'), error: /invalid metric name/ },
    { name: 'a bad label name', make: () => histogram(['a-b']), error: /invalid label name/ },
    { name: 'no labels', make: () => histogram([]), error: /needs labels/ },
    { name: 'a histogram labelled le', make: () => histogram(['le']), error: /reserved/ },
    {
      name: 'buckets not increasing',
      make: () => histogram(['v'], [1, 1]),
      error: /increasing/,
    },
  ];
  for (const { name, make, error } of refusals) test(`refuses ${name}`, () => assert.throws(make, error));

  function family(name = 'z_total'): CounterFamily {
    return new CounterFamily({ name, help: 'h', labelNames: ['v'], registry: new Registry() });
  }
  function histogram(labelNames: string[], buckets = [1, 2]): HistogramFamily {
    return new HistogramFamily({ name: 'z', help: 'h', labelNames, buckets, registry: new Registry() });
  }
});
