import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, CloudEvent } from '../cloudevents/model.js';
import { compileTriggerFilter, TriggerIndex, validateTriggerFilters } from './index.js';
import type { EventPredicate, TriggerFilterSpec } from './index.js';

function event(attributes: Record<string, AttributeValue> = {}): CloudEvent {
  return {
    attributes: {
      specversion: '1.0',
      id: 'e-1',
      type: 'com.example.MinEvent',
      source: 'http://example.com/source',
      ...attributes,
    },
  };
}

/** An index whose predicates count their evaluations, per trigger id. */
function countingIndex(): { index: TriggerIndex<string>; calls: Map<string, number>; total: () => number } {
  const calls = new Map<string, number>();
  let compiled = 0;
  const index = new TriggerIndex<string>({
    compile: (spec, options) => {
      const id = String(compiled++);
      const predicate = compileTriggerFilter(spec, options);
      return (e) => {
        calls.set(id, (calls.get(id) ?? 0) + 1);
        return predicate(e);
      };
    },
  });
  return { index, calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}

/** Triggers covering every way into the index: type bucket, source bucket and scan list. */
const triggers: Record<string, TriggerFilterSpec> = {
  legacyType: { filter: { attributes: { type: 'order.created' } } },
  legacyTypeAndExt: { filter: { attributes: { type: 'order.created', region: 'eu' } } },
  legacyPresentType: { filter: { attributes: { type: '', source: 'shop' } } },
  legacySource: { filter: { attributes: { source: 'shop' } } },
  exactType: { filters: [{ exact: { type: 'order.shipped' } }] },
  exactTypeAndSource: { filters: [{ exact: { type: 'order.created', source: 'shop' } }] },
  exactTypeSecondEntry: { filters: [{ prefix: { subject: 'vip/' } }, { exact: { type: 'order.created' } }] },
  exactSource: { filters: [{ exact: { source: 'warehouse' } }] },
  prefixType: { filters: [{ prefix: { type: 'order.' } }] },
  nestedExactType: { filters: [{ all: [{ exact: { type: 'order.created' } }] }] },
  anyTypes: {
    filters: [{ any: [{ exact: { type: 'order.created' } }, { exact: { type: 'order.shipped' } }] }],
  },
  notType: { filters: [{ not: { exact: { type: 'order.created' } } }] },
  everything: {},
  emptyFiltersLegacyType: { filters: [], filter: { attributes: { type: 'order.shipped' } } },
  filtersOverrideLegacy: {
    filters: [{ exact: { source: 'warehouse' } }],
    filter: { attributes: { type: 'order.created' } },
  },
  cesqlTypeAndSource: { filters: [{ cesql: "TYPE = 'order.created' AND source = 'shop'" }] },
  cesqlTypeReversed: { filters: [{ cesql: "'order.shipped' = type" }] },
  cesqlSourceAndLike: { filters: [{ cesql: "source = 'warehouse' AND subject LIKE 'vip/%'" }] },
  cesqlOr: { filters: [{ cesql: "type = 'order.shipped' OR source = 'idp'" }] },
  cesqlIntegerLiteral: { filters: [{ cesql: 'type = 7' }] },
  cesqlNotEqual: { filters: [{ cesql: "NOT (type = 'order.created')" }] },
  contradictoryTypes: {
    filters: [{ exact: { type: 'order.created' } }, { exact: { type: 'order.shipped' } }],
  },
};

const events: { name: string; event: CloudEvent; expected: string[] }[] = [
  {
    name: 'order.created from shop in eu',
    event: event({ type: 'order.created', source: 'shop', region: 'eu' }),
    expected: [
      'legacyType',
      'legacyTypeAndExt',
      'legacyPresentType',
      'legacySource',
      'exactTypeAndSource',
      'prefixType',
      'nestedExactType',
      'anyTypes',
      'everything',
      'cesqlTypeAndSource',
    ],
  },
  {
    name: 'order.created from warehouse for a vip',
    event: event({ type: 'order.created', source: 'warehouse', subject: 'vip/7' }),
    expected: [
      'legacyType',
      'exactTypeSecondEntry',
      'exactSource',
      'prefixType',
      'nestedExactType',
      'anyTypes',
      'everything',
      'filtersOverrideLegacy',
      'cesqlSourceAndLike',
    ],
  },
  {
    name: 'order.shipped from warehouse',
    event: event({ type: 'order.shipped', source: 'warehouse' }),
    expected: [
      'exactType',
      'exactSource',
      'prefixType',
      'anyTypes',
      'notType',
      'everything',
      'emptyFiltersLegacyType',
      'filtersOverrideLegacy',
      'cesqlTypeReversed',
      'cesqlOr',
      'cesqlNotEqual',
    ],
  },
  {
    name: 'an unrelated event',
    event: event({ type: 'user.login', source: 'idp' }),
    expected: ['notType', 'everything', 'cesqlOr', 'cesqlNotEqual'],
  },
  {
    name: 'an event whose type is the integer literal as a string',
    event: event({ type: '7', source: 'idp' }),
    expected: ['notType', 'everything', 'cesqlOr', 'cesqlIntegerLiteral', 'cesqlNotEqual'],
  },
];

function buildIndex(): TriggerIndex<string> {
  const index = new TriggerIndex<string>();
  for (const [id, spec] of Object.entries(triggers)) {
    assert.deepEqual(validateTriggerFilters(spec), [], id);
    index.set(id, spec, id);
  }
  return index;
}

for (const { name, event: e, expected } of events) {
  test(`match returns exactly the matching triggers: ${name}`, () => {
    const index = buildIndex();
    assert.deepEqual(index.match(e).sort(), [...expected].sort());
    // The same answer as evaluating every trigger's filter: the index never loses or invents a match.
    const bruteForce = Object.entries(triggers)
      .filter(([, spec]) => compileTriggerFilter(spec)(e))
      .map(([id]) => id);
    assert.deepEqual(index.match(e).sort(), bruteForce.sort());
  });
}

test('size counts triggers; set replaces; delete removes', () => {
  const index = buildIndex();
  assert.equal(index.size, Object.keys(triggers).length);
  const created = event({ type: 'order.created', source: 'shop' });
  assert.ok(index.match(created).includes('legacyType'));

  // Replacing moves the trigger to its new bucket: it leaves the old one.
  index.set('legacyType', { filters: [{ exact: { source: 'billing' } }] }, 'legacyType v2');
  assert.equal(index.size, Object.keys(triggers).length);
  assert.ok(!index.match(created).some((v) => v.startsWith('legacyType ')));
  assert.ok(!index.match(created).includes('legacyType'));
  assert.deepEqual(
    index.match(event({ type: 'x', source: 'billing' })).sort(),
    ['cesqlNotEqual', 'everything', 'legacyType v2', 'notType'].sort(),
  );

  index.delete('legacyType');
  index.delete('everything');
  index.delete('no-such-trigger');
  assert.equal(index.size, Object.keys(triggers).length - 2);
  assert.deepEqual(index.match(event({ type: 'x', source: 'billing' })).sort(), ['cesqlNotEqual', 'notType']);
});

test('a spec that fails to compile leaves the previous version of the trigger in place', () => {
  const index = new TriggerIndex<string>();
  index.set('t', { filters: [{ exact: { type: 'a' } }] }, 'v1');
  assert.throws(() => index.set('t', { filters: [{ exact: {} }] }, 'v2'));
  assert.equal(index.size, 1);
  assert.deepEqual(index.match(event({ type: 'a' })), ['v1']);
});

test('an empty index matches nothing', () => {
  assert.deepEqual(new TriggerIndex<string>().match(event()), []);
});

test('Routing cost: with 10,000 triggers of distinct types, match() evaluates only the candidates', () => {
  const { index, calls, total } = countingIndex();
  // Each filter asks more than its bucket's key, so each candidate is evaluated (see the key-only test).
  for (let i = 0; i < 10_000; i++) {
    const filters = [{ exact: { type: `com.example.t${i}` } }, { prefix: { id: 'e-' } }];
    index.set(`type-${i}`, { filters }, `type-${i}`);
  }
  for (let i = 0; i < 100; i++)
    index.set(`source-${i}`, { filter: { attributes: { source: `src-${i}`, id: 'e-1' } } }, `source-${i}`);
  index.set('scan', { filters: [{ prefix: { type: 'com.example.t12' } }] }, 'scan');
  assert.equal(index.size, 10_101);

  assert.deepEqual(index.match(event({ type: 'com.example.t1234', source: 'src-7' })).sort(), [
    'scan',
    'source-7',
    'type-1234',
  ]);
  // One predicate from the type bucket, one from the source bucket, one from the scan list.
  assert.equal(total(), 3);

  calls.clear();
  assert.deepEqual(index.match(event({ type: 'nobody.listens', source: 'nowhere' })), []);
  assert.equal(total(), 1, 'only the scan-list trigger is evaluated');
});

test('a trigger whose filter is only its bucket key matches the bucket without evaluating its filter', () => {
  const { index, total } = countingIndex();
  index.set('exactType', { filters: [{ exact: { type: 't' } }] }, 'exactType');
  index.set('legacyType', { filter: { attributes: { type: 't' } } }, 'legacyType');
  index.set('exactSource', { filters: [{ exact: { source: 's' } }] }, 'exactSource');
  index.set('legacySource', { filter: { attributes: { source: 's' } } }, 'legacySource');
  // Not the key alone: evaluated.
  index.set('typeAndSubject', { filters: [{ exact: { type: 't', subject: 'x' } }] }, 'typeAndSubject');
  index.set('twoEntries', { filters: [{ exact: { type: 't' } }, { exact: { id: 'e-1' } }] }, 'twoEntries');
  index.set('cesqlType', { filters: [{ cesql: "type = 't'" }] }, 'cesqlType');
  index.set('cesqlTypeAndId', { filters: [{ cesql: "type = 't' AND id = 'e-1'" }] }, 'cesqlTypeAndId');
  assert.deepEqual(index.match(event({ type: 't', source: 's' })).sort(), [
    'cesqlType',
    'cesqlTypeAndId',
    'exactSource',
    'exactType',
    'legacySource',
    'legacyType',
    'twoEntries',
  ]);
  assert.equal(total(), 3, 'typeAndSubject, twoEntries and cesqlTypeAndId');
  assert.deepEqual(index.match(event({ type: 'u', source: 'r' })), [], 'other buckets: none of them');
  // Its filter, as a replay asks for it, still says what the spec says.
  for (const id of ['cesqlType', 'exactType', 'legacySource']) {
    const predicate = index.predicate(id);
    assert.equal(predicate?.(event({ type: 't', source: 's' })), true, id);
    assert.equal(predicate?.(event({ type: 'T', source: 'S' })), false, id);
  }
});

test('removing triggers from the middle of a bucket keeps the others in it', () => {
  const index = new TriggerIndex<string>();
  for (const id of ['a', 'b', 'c', 'd']) index.set(id, { filters: [{ exact: { type: 't' } }] }, id);
  index.delete('b');
  index.delete('a');
  assert.deepEqual(index.match(event({ type: 't' })).sort(), ['c', 'd']);
  index.set('c', { filters: [{ exact: { type: 'u' } }] }, 'c2');
  assert.deepEqual(index.match(event({ type: 't' })), ['d']);
  assert.deepEqual(index.match(event({ type: 'u' })), ['c2']);
  index.delete('d');
  assert.deepEqual(index.match(event({ type: 't' })), []);
  assert.equal(index.size, 1);
});

test('Routing cost: CESQL triggers that require a type are looked up by it, not evaluated for every event', () => {
  const { index, total } = countingIndex();
  for (let i = 0; i < 1_000; i++)
    index.set(`cesql-${i}`, { filters: [{ cesql: `type = 'com.example.t${i}' AND id <> ''` }] }, `c${i}`);
  index.set('or', { filters: [{ cesql: "type = 'a' OR type = 'b'" }] }, 'or');
  index.match(event({ type: 'com.example.t42' }));
  assert.equal(total(), 2, 'the one candidate of the type bucket and the scan-list OR');
});

test('triggers sharing a type are all candidates and evaluated in full', () => {
  const { index, total } = countingIndex();
  index.set('a', { filters: [{ exact: { type: 't' } }, { exact: { subject: 'a' } }] }, 'a');
  index.set('b', { filters: [{ exact: { type: 't', subject: 'b' } }] }, 'b');
  index.set('c', { filter: { attributes: { type: 'u' } } }, 'c');
  assert.deepEqual(index.match(event({ type: 't', subject: 'b' })), ['b']);
  assert.equal(total(), 2);
});

test('onCesqlError and other compile options reach the compiler', () => {
  const seen: unknown[] = [];
  const onCesqlError = (): void => {};
  const index = new TriggerIndex<string>({
    compile: (spec, options): EventPredicate => {
      seen.push(options.onCesqlError);
      return compileTriggerFilter(spec, options);
    },
  });
  index.set('t', {}, 't', { onCesqlError });
  assert.deepEqual(seen, [onCesqlError]);
});
