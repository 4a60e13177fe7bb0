import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, CloudEvent } from '../cloudevents/model.js';
import { compileTriggerFilter, validateTriggerFilters } from './index.js';
import type { TriggerFilterSpec } from './index.js';

/** The Knative e2e tests' MinEvent, with `attributes` overriding or (when undefined) removing attributes. */
function event(attributes: Record<string, AttributeValue | undefined> = {}): CloudEvent {
  const merged: Record<string, AttributeValue | undefined> = {
    specversion: '1.0',
    id: 'e-1',
    type: 'com.example.MinEvent',
    source: 'http://example.com/source',
    ...attributes,
  };
  const present = Object.entries(merged).filter(
    (pair): pair is [string, AttributeValue] => pair[1] !== undefined,
  );
  return { attributes: Object.fromEntries(present) };
}

const cases: { name: string; spec: TriggerFilterSpec; matches: CloudEvent[]; rejects: CloudEvent[] }[] = [
  {
    name: 'no filter at all matches everything',
    spec: {},
    matches: [event(), event({ type: 'x', myext: 1 })],
    rejects: [],
  },
  {
    name: 'exact: every key must match, case-sensitive',
    spec: { filters: [{ exact: { type: 'com.example.a', subject: 'Order' } }] },
    matches: [event({ type: 'com.example.a', subject: 'Order' })],
    rejects: [
      event({ type: 'com.example.a' }),
      event({ type: 'com.example.a', subject: 'order' }),
      event({ type: 'com.example.b', subject: 'Order' }),
      event({ type: 'com.example.ab', subject: 'Order' }),
    ],
  },
  {
    name: 'exact compares the string form of Integer and Boolean attributes',
    spec: { filters: [{ exact: { myint: '10', mybool: 'true' } }] },
    matches: [event({ myint: 10, mybool: true }), event({ myint: '10', mybool: 'true' })],
    rejects: [event({ myint: 10, mybool: false }), event({ myint: 100, mybool: true }), event({ myint: 10 })],
  },
  {
    name: 'prefix: every key must start with its value',
    spec: { filters: [{ prefix: { type: 'com.', source: 'http' } }] },
    matches: [event({ type: 'com.example.FullEvent' }), event({ type: 'com.', source: 'https://x' })],
    rejects: [
      event({ type: 'org.com.x' }),
      event({ type: 'COM.x' }),
      event({ type: 'com.x', source: 'ftp://x' }),
    ],
  },
  {
    name: 'prefix on a number uses its decimal form',
    spec: { filters: [{ prefix: { myint: '-1' } }] },
    matches: [event({ myint: -12 })],
    rejects: [event({ myint: 12 }), event()],
  },
  {
    name: 'suffix: every key must end with its value',
    spec: { filters: [{ suffix: { type: 'xample.FullEvent' } }] },
    matches: [event({ type: 'com.example.FullEvent' }), event({ type: 'xample.FullEvent' })],
    rejects: [event({ type: 'com.example.fullevent' }), event({ type: 'com.example.FullEvent.v2' })],
  },
  {
    name: 'a missing attribute never matches exact, prefix or suffix',
    spec: {
      filters: [{ any: [{ exact: { myext: 'v' } }, { prefix: { myext: 'v' } }, { suffix: { myext: 'v' } }] }],
    },
    matches: [event({ myext: 'v' })],
    rejects: [event(), event({ subject: 'v' })],
  },
  {
    name: 'all: every nested filter must match',
    spec: { filters: [{ all: [{ prefix: { type: 'a.' } }, { suffix: { type: '.z' } }] }] },
    matches: [event({ type: 'a.z' }), event({ type: 'a.m.z' })],
    rejects: [event({ type: 'a.m' }), event({ type: 'm.z' })],
  },
  {
    name: 'any: one nested filter is enough',
    spec: { filters: [{ any: [{ exact: { type: 'a' } }, { exact: { source: 's' } }] }] },
    matches: [event({ type: 'a' }), event({ source: 's' }), event({ type: 'a', source: 's' })],
    rejects: [event({ type: 'b', source: 't' })],
  },
  {
    name: 'not inverts, including for a missing attribute',
    spec: { filters: [{ not: { exact: { myext: 'v' } } }] },
    matches: [event(), event({ myext: 'w' })],
    rejects: [event({ myext: 'v' })],
  },
  {
    name: 'a top-level list is ANDed',
    spec: { filters: [{ exact: { type: 't' } }, { not: { prefix: { subject: 'internal/' } } }] },
    matches: [event({ type: 't' }), event({ type: 't', subject: 'public/1' })],
    rejects: [event({ type: 't', subject: 'internal/1' }), event({ type: 'u' })],
  },
  {
    name: 'legacy attributes: exact match on every listed attribute',
    spec: { filter: { attributes: { type: 't', myext: 'v' } } },
    matches: [event({ type: 't', myext: 'v' })],
    rejects: [event({ type: 't' }), event({ type: 't', myext: 'V' }), event({ myext: 'v' })],
  },
  {
    name: 'legacy attributes: "" means the attribute is present and non-empty',
    spec: { filter: { attributes: { subject: '' } } },
    matches: [event({ subject: 'x' }), event({ subject: 0 })],
    rejects: [event(), event({ subject: '' })],
  },
  {
    name: 'legacy empty attributes match everything',
    spec: { filter: { attributes: {} } },
    matches: [event(), event({ type: 'anything' })],
    rejects: [],
  },
  {
    name: 'empty spec.filters does not override spec.filter',
    spec: { filters: [], filter: { attributes: { type: 'legacy' } } },
    matches: [event({ type: 'legacy' })],
    rejects: [event()],
  },
  {
    name: 'non-empty spec.filters overrides spec.filter',
    spec: { filters: [{ exact: { type: 'new' } }], filter: { attributes: { type: 'legacy' } } },
    matches: [event({ type: 'new' })],
    rejects: [event({ type: 'legacy' })],
  },
];

for (const { name, spec, matches, rejects } of cases) {
  test(`compile: ${name}`, () => {
    assert.deepEqual(validateTriggerFilters(spec), [], 'the spec of a compile case must be valid');
    const predicate = compileTriggerFilter(spec);
    for (const e of matches) assert.equal(predicate(e), true, `should match ${JSON.stringify(e.attributes)}`);
    for (const e of rejects)
      assert.equal(predicate(e), false, `should not match ${JSON.stringify(e.attributes)}`);
  });
}

test('Events that pass the attributes filter MUST include context or extension attributes that match all key-value pairs exactly', () => {
  const predicate = compileTriggerFilter({ filter: { attributes: { type: 't', source: 's', myext: 'v' } } });
  assert.equal(predicate(event({ type: 't', source: 's', myext: 'v' })), true);
  for (const missing of ['type', 'source', 'myext']) {
    const attributes: Record<string, AttributeValue | undefined> = { type: 't', source: 's', myext: 'v' };
    attributes[missing] = missing === 'myext' ? undefined : 'other';
    assert.equal(predicate(event(attributes)), false, missing);
  }
});

test('compiling refuses a spec that validation would refuse, instead of dropping the filter', () => {
  for (const filters of [
    [{}],
    [{ exact: {} }],
    [{ bogus: {} }],
    [{ exact: { a: 'b' }, prefix: { a: 'b' } }],
    [{ all: [] }],
    ['x'],
  ]) {
    assert.throws(() => compileTriggerFilter({ filters }), TypeError, JSON.stringify(filters));
  }
});

test('a cesql filter is compiled by the CESQL dialect, never skipped', () => {
  const spec = { filters: [{ exact: { type: 't' } }, { cesql: "source = 'http://example.com/source'" }] };
  const predicate = compileTriggerFilter(spec);
  assert.equal(predicate(event({ type: 't' })), true);
  assert.equal(predicate(event({ type: 't', source: 'other' })), false);
});

test('a CESQL evaluation error means no match and is reported to onCesqlError', () => {
  const errors: Error[] = [];
  const predicate = compileTriggerFilter(
    { filters: [{ cesql: '5 / 0 = 0' }] },
    { onCesqlError: (e) => errors.push(e) },
  );
  assert.equal(predicate(event()), false);
  assert.equal(errors.length, 1);
});
