import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from '../errors.js';
import { validateCesqlFilter } from './cesql.js';
import { validateTriggerFilters } from './index.js';
import type { TriggerFilterSpec } from './index.js';

const NAME_RULE = 'must be a CloudEvents attribute name: lowercase letters a-z and digits 0-9 only';
const ONE_OF = 'exact, prefix, suffix, all, any, not, cesql';

function validate(spec: unknown, path?: string): FieldError[] {
  return validateTriggerFilters(spec as TriggerFilterSpec, path);
}

const valid: { name: string; spec: unknown }[] = [
  { name: 'no filter at all', spec: {} },
  { name: 'null filter and filters (Kubernetes "not set")', spec: { filter: null, filters: null } },
  { name: 'empty legacy filter', spec: { filter: {} } },
  { name: 'empty legacy attributes', spec: { filter: { attributes: {} } } },
  { name: 'legacy attributes', spec: { filter: { attributes: { type: 't', source: 's', myext1: 'v' } } } },
  { name: 'legacy empty value (present and non-empty)', spec: { filter: { attributes: { type: '' } } } },
  { name: 'empty filters list', spec: { filters: [] } },
  { name: 'exact with several attributes', spec: { filters: [{ exact: { type: 't', source: 's' } }] } },
  { name: 'prefix', spec: { filters: [{ prefix: { type: 'com.' } }] } },
  { name: 'suffix', spec: { filters: [{ suffix: { source: '/x' } }] } },
  { name: 'attribute name starting with a digit', spec: { filters: [{ exact: { '3d': 'yes' } }] } },
  {
    name: 'nested all, any and not',
    spec: {
      filters: [
        { all: [{ exact: { type: 'a' } }, { not: { prefix: { source: 'b' } } }] },
        { any: [{ suffix: { subject: 'c' } }, { not: { not: { exact: { id: 'd' } } } }] },
      ],
    },
  },
];

for (const { name, spec } of valid) {
  test(`valid: ${name}`, () => {
    assert.deepEqual(validate(spec), []);
  });
}

const invalid: { name: string; spec: unknown; errors: FieldError[] }[] = [
  { name: 'spec is not an object', spec: 'x', errors: [{ field: 'spec', message: 'must be an object' }] },
  {
    name: 'filters is not a list',
    spec: { filters: {} },
    errors: [{ field: 'spec.filters', message: 'must be a list of filters' }],
  },
  {
    name: 'a filter entry is not an object',
    spec: { filters: ['exact'] },
    errors: [{ field: 'spec.filters[0]', message: `must be an object holding exactly one of ${ONE_OF}` }],
  },
  {
    name: 'an empty filter object names no dialect',
    spec: { filters: [{ exact: { type: 't' } }, {}] },
    errors: [{ field: 'spec.filters[1]', message: `must hold exactly one of ${ONE_OF}; found none` }],
  },
  {
    name: 'two dialects in one entry',
    spec: { filters: [{ exact: { type: 't' } }, { exact: { type: 't' }, prefix: { source: 's' } }] },
    errors: [
      {
        field: 'spec.filters[1]',
        message: 'must hold exactly one dialect; found exact, prefix (combine them with all or any)',
      },
    ],
  },
  {
    name: 'an empty exact object',
    spec: { filters: [{ exact: {} }] },
    errors: [{ field: 'spec.filters[0].exact', message: 'must name at least one attribute' }],
  },
  {
    name: 'prefix is not an object',
    spec: { filters: [{ prefix: ['type'] }] },
    errors: [{ field: 'spec.filters[0].prefix', message: 'must be an object of attribute name to string' }],
  },
  {
    name: 'a dialect key with a null value',
    spec: { filters: [{ suffix: null }] },
    errors: [{ field: 'spec.filters[0].suffix', message: 'must be an object of attribute name to string' }],
  },
  {
    name: 'a non-string value',
    spec: { filters: [{ exact: { type: 't', myint: 10 } }] },
    errors: [{ field: 'spec.filters[0].exact.myint', message: 'must be a string' }],
  },
  {
    name: 'an invalid attribute name',
    spec: { filters: [{ suffix: { Type: 'x', 'my-ext': 'y' } }] },
    errors: [
      { field: 'spec.filters[0].suffix.Type', message: NAME_RULE },
      { field: 'spec.filters[0].suffix.my-ext', message: NAME_RULE },
    ],
  },
  {
    name: 'The attribute name and value specified in the filter express MUST NOT be empty strings',
    spec: { filters: [{ exact: { '': 'x', type: '' } }] },
    errors: [
      { field: 'spec.filters[0].exact.', message: NAME_RULE },
      { field: 'spec.filters[0].exact.type', message: 'must not be empty' },
    ],
  },
  {
    name: 'all must contain at least one filter expression',
    spec: { filters: [{ all: [] }] },
    errors: [{ field: 'spec.filters[0].all', message: 'must contain at least one filter' }],
  },
  {
    name: 'any must contain at least one filter expression',
    spec: { filters: [{ not: { any: [] } }] },
    errors: [{ field: 'spec.filters[0].not.any', message: 'must contain at least one filter' }],
  },
  {
    name: 'any is not a list',
    spec: { filters: [{ any: { exact: { type: 't' } } }] },
    errors: [{ field: 'spec.filters[0].any', message: 'must be a list of filters' }],
  },
  {
    name: 'not holds an empty object',
    spec: { filters: [{ not: {} }] },
    errors: [{ field: 'spec.filters[0].not', message: `must hold exactly one of ${ONE_OF}; found none` }],
  },
  {
    name: 'errors deep inside any are reported with their full path',
    spec: {
      filters: [{ any: [{ exact: { type: 't' } }, { exact: { source: 's' } }, { prefix: { type: 7 } }] }],
    },
    errors: [{ field: 'spec.filters[0].any[2].prefix.type', message: 'must be a string' }],
  },
  {
    name: 'legacy filter is not an object',
    spec: { filter: 'type=t' },
    errors: [{ field: 'spec.filter', message: 'must be an object' }],
  },
  {
    name: 'legacy attributes is not an object',
    spec: { filter: { attributes: [] } },
    errors: [{ field: 'spec.filter.attributes', message: 'must be an object of attribute name to string' }],
  },
  {
    name: 'legacy attributes with a bad name and a non-string value',
    spec: { filter: { attributes: { Type: 't', myflag: true } } },
    errors: [
      { field: 'spec.filter.attributes.Type', message: NAME_RULE },
      { field: 'spec.filter.attributes.myflag', message: 'must be a string' },
    ],
  },
  {
    name: 'the legacy filter is validated even when spec.filters overrides it',
    spec: { filter: { attributes: { 'bad.name': 'x' } }, filters: [{ exact: { type: 't' } }] },
    errors: [{ field: 'spec.filter.attributes.bad.name', message: NAME_RULE }],
  },
];

for (const { name, spec, errors } of invalid) {
  test(`invalid: ${name}`, () => {
    assert.deepEqual(validate(spec), errors);
  });
}

test('every error is reported at once', () => {
  const errors = validate({
    filter: { attributes: { Type: 'x' } },
    filters: [{ exact: {} }, { any: [{ prefix: { source: '' } }, {}] }],
  });
  assert.deepEqual(
    errors.map((e) => e.field),
    [
      'spec.filter.attributes.Type',
      'spec.filters[0].exact',
      'spec.filters[1].any[0].prefix.source',
      'spec.filters[1].any[1]',
    ],
  );
});

test('paths start at the given prefix', () => {
  assert.deepEqual(validate({ filters: [{ exact: {} }] }, 'trigger.spec'), [
    { field: 'trigger.spec.filters[0].exact', message: 'must name at least one attribute' },
  ]);
});

test('an invalid filter is rejected at admission, never dropped: every cesql entry goes to the CESQL validator', () => {
  // A syntax error is refused whether or not this build has a CESQL engine.
  const errors = validate({ filters: [{ exact: { type: 't' } }, { any: [{ cesql: "type = 'x' AND" }] }] });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.field, 'spec.filters[1].any[0].cesql');
  assert.equal(errors[0]?.message, validateCesqlFilter("type = 'x' AND"));
});

test('a cesql entry gets exactly the CESQL validator verdict, at its path', () => {
  for (const expression of ["type = 'com.example'", 'TRUE', 42, null, '']) {
    const verdict = validateCesqlFilter(expression);
    const expected = verdict === undefined ? [] : [{ field: 'spec.filters[0].cesql', message: verdict }];
    assert.deepEqual(validate({ filters: [{ cesql: expression }] }), expected, String(expression));
  }
});
