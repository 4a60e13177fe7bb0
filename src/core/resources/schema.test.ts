import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allKinds } from './registry.js';
import { checkFields, fieldErrors, ref, type KindSchema, type Schema } from './schema.js';

const text: Schema = { type: 'string' };
const schema: KindSchema = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          name: text,
          labels: { type: 'object', additionalProperties: text },
          filters: { type: 'array', items: ref('Filter') },
          legacy: { type: 'object', 'x-cemesh-not-supported': 'is not supported: gone' },
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
  components: {
    Filter: { type: 'object', properties: { exact: text, not: ref('Filter') } },
  },
};

interface Case {
  readonly name: string;
  readonly value: unknown;
  readonly unknown: string[];
  readonly unsupported?: string[];
  readonly pruned?: unknown;
}

const cases: Case[] = [
  { name: 'declared fields only', value: { spec: { name: 'a' } }, unknown: [] },
  {
    name: 'an unknown field at the top and in spec, dropped from the copy',
    value: { specs: {}, spec: { nmae: 'a', name: 'b' } },
    unknown: ['specs', 'spec.nmae'],
    pruned: { spec: { name: 'b' } },
  },
  { name: 'free keys of a map', value: { spec: { labels: { 'a.b/c': 'x' } } }, unknown: [] },
  {
    name: 'list items, through a $ref, at any depth of a self-reference',
    value: { spec: { filters: [{ exact: 'x' }, { not: { not: { exakt: 'y' } } }] } },
    unknown: ['spec.filters[1].not.not.exakt'],
    pruned: { spec: { filters: [{ exact: 'x' }, { not: { not: {} } }] } },
  },
  { name: 'anything under preserve-unknown-fields', value: { status: { any: { thing: 1 } } }, unknown: [] },
  {
    name: 'a declared but unsupported field is kept and refused',
    value: { spec: { legacy: {} } },
    unknown: [],
    unsupported: ['spec.legacy'],
  },
  {
    name: 'an unsupported field set to null counts as absent',
    value: { spec: { legacy: null } },
    unknown: [],
  },
  {
    name: 'a value of another type is left to the kind (no walk into it)',
    value: { spec: 'text', status: [1] },
    unknown: [],
  },
  {
    name: 'a mapping where a string is declared is left to the kind',
    value: { spec: { name: { a: 1 } } },
    unknown: [],
  },
];

describe('checkFields', () => {
  for (const c of cases) {
    test(c.name, () => {
      const result = checkFields(c.value, schema);
      assert.deepEqual(
        result.unknown.map((u) => u.path),
        c.unknown,
      );
      assert.deepEqual(
        result.unsupported.map((u) => u.field),
        c.unsupported ?? [],
      );
      assert.deepEqual(result.pruned, c.pruned ?? c.value);
    });
  }

  test('the value is not changed', () => {
    const value = { spec: { nmae: 'a' } };
    checkFields(value, schema);
    assert.deepEqual(value, { spec: { nmae: 'a' } });
  });

  test('messages suggest the closest declared field, or list the declared ones', () => {
    assert.deepEqual(fieldErrors({ spec: { nmae: 'a', zzz: 1 } }, schema), [
      { field: 'spec.nmae', message: 'unknown field (did you mean "name"?)' },
      { field: 'spec.zzz', message: 'unknown field; this mapping holds name, labels, filters' },
    ]);
  });

  test('a $ref to a part the schema lacks is a programming error', () => {
    const broken: KindSchema = { openAPIV3Schema: ref('Missing'), components: {} };
    assert.throws(() => checkFields({}, broken), /Missing is not among the components/);
  });
});

describe('every served kind', () => {
  for (const kind of allKinds()) {
    test(`${kind.kind}: its schema is serialisable and every $ref resolves`, () => {
      const json = JSON.stringify(kind.schema);
      for (const match of json.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
        assert.ok(kind.schema.components[match[1] ?? ''], `${kind.kind}: ${match[1]} is missing`);
      }
      assert.deepEqual(
        checkFields({ apiVersion: 'x', kind: kind.kind, metadata: { name: 'a' } }, kind.schema).unknown,
        [],
      );
    });
  }
});
