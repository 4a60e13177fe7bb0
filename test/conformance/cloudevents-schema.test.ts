// Cases derived from the CloudEvents JSON schema (cloudevents/formats/cloudevents.json), read as data: its
// examples must be accepted; every required member, type, minLength, format and contentEncoding it states
// yields a negative case that must be rejected, naming the attribute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MeshError } from '../../src/core/errors.js';
import { decodeHttpRequest, fromStructuredJson } from '../../src/core/cloudevents/index.js';
import { conformancePath } from '../support/conformance.js';

interface Definition {
  readonly type?: string | string[];
  readonly minLength?: number;
  readonly format?: string;
  readonly contentEncoding?: string;
}
interface Property {
  readonly $ref: string;
  readonly examples?: unknown[];
}
interface Schema {
  readonly properties: Record<string, Property>;
  readonly required: string[];
  readonly definitions: Record<string, Definition>;
}

const schemaFile = conformancePath(
  'CloudEvents JSON schema',
  'cloudevents-spec/cloudevents/formats/cloudevents.json',
);
if (schemaFile !== undefined) {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Schema;
  const valid = { specversion: '1.0', id: 'schema-1', source: '/schema', type: 'com.example.schema' };

  function definitionOf(name: string): Definition {
    const ref = schema.properties[name]?.$ref ?? '';
    const definition = schema.definitions[ref.replace('#/definitions/', '')];
    assert.ok(definition, `definition of ${name}`);
    return definition;
  }

  const typesOf = (d: Definition) => (d.type === undefined ? [] : Array.isArray(d.type) ? d.type : [d.type]);

  /** One value of each JSON type, to try against each member's allowed types. */
  const samples: Record<string, unknown> = {
    string: 'text',
    number: 5,
    integer: 5,
    boolean: true,
    object: { a: 1 },
    array: ['a'],
    null: null,
  };

  /** A value that breaks each format the schema names. */
  const badFormat: Record<string, unknown[]> = {
    'uri-reference': ['not a uri', 'http://exa mple.com', '%zz'],
    uri: ['/relative/only', 'no-scheme', 'http://x/a b'],
    'date-time': ['2018-04-05 17:31:00Z', '2018-02-30T00:00:00Z', 'yesterday', '2018-04-05T17:31:00'],
  };

  const goodFormat: Record<string, unknown[]> = {
    'uri-reference': ['https://example.com/x?y#z', '/relative', 'urn:a:b'],
    uri: ['https://example.com/schema', 'urn:example:schema'],
    'date-time': ['2018-04-05T17:31:00Z', '1985-04-12T23:20:50.52+01:00'],
  };

  function accept(object: Record<string, unknown>, label: string): void {
    assert.doesNotThrow(() => fromStructuredJson(object), label);
  }

  function reject(object: Record<string, unknown>, attribute: string, label: string): void {
    assert.throws(
      () => fromStructuredJson(object),
      (error: unknown) =>
        error instanceof MeshError &&
        (error.code === 'MESH_EVENT_INVALID' || error.code === 'MESH_SPECVERSION_UNSUPPORTED') &&
        error.details.attribute === attribute,
      label,
    );
  }

  const attributeNames = Object.keys(schema.properties).filter((n) => n !== 'data' && n !== 'data_base64');

  test('the schema describes the eight context attributes, data and data_base64', () => {
    assert.deepEqual(attributeNames.sort(), [
      'datacontenttype',
      'dataschema',
      'id',
      'source',
      'specversion',
      'subject',
      'time',
      'type',
    ]);
    assert.deepEqual(schema.required.sort(), ['id', 'source', 'specversion', 'type']);
  });

  test("every example in the schema is accepted as the member's value", () => {
    for (const [name, property] of Object.entries(schema.properties)) {
      for (const example of property.examples ?? []) {
        if (name === 'specversion') accept({ ...valid, specversion: example }, `${name}=${String(example)}`);
        else accept({ ...valid, [name]: example }, `${name}=${String(example)}`);
      }
    }
  });

  test('a required member that is missing or null is rejected (schema "required")', () => {
    for (const name of schema.required) {
      const without: Record<string, unknown> = { ...valid };
      delete without[name];
      reject(without, name, `without ${name}`);
      reject({ ...valid, [name]: null }, name, `${name}: null`);
    }
  });

  test('a member of a JSON type the schema does not allow is rejected; null is unset for optional members', () => {
    for (const name of attributeNames) {
      const allowed = typesOf(definitionOf(name));
      for (const [type, sample] of Object.entries(samples)) {
        if (type === 'null') {
          if (allowed.includes('null')) accept({ ...valid, [name]: null }, `${name}: null`);
          continue;
        }
        if (allowed.includes(type) || (type === 'integer' && allowed.includes('number'))) continue;
        reject({ ...valid, [name]: sample }, name, `${name}: ${type}`);
      }
    }
  });

  test('a member shorter than its minLength is rejected', () => {
    for (const name of attributeNames) {
      if (definitionOf(name).minLength === 1) reject({ ...valid, [name]: '' }, name, `${name}: ""`);
    }
  });

  test('a member that breaks its format is rejected, one that follows it is accepted', () => {
    let checked = 0;
    for (const name of attributeNames) {
      const format = definitionOf(name).format;
      if (format === undefined) continue;
      checked++;
      for (const value of badFormat[format] ?? assert.fail(`no bad samples for ${format}`)) {
        reject({ ...valid, [name]: value }, name, `${name}: ${String(value)}`);
      }
      for (const value of goodFormat[format] ?? [])
        accept({ ...valid, [name]: value }, `${name}: ${String(value)}`);
    }
    assert.equal(checked, 3, 'source, dataschema and time have formats');
  });

  test('data accepts every JSON type the schema lists', () => {
    for (const type of typesOf(definitionOf('data'))) {
      const event = fromStructuredJson({ ...valid, data: samples[type] });
      assert.deepEqual(JSON.parse(new TextDecoder().decode(event.data)), samples[type], type);
    }
  });

  test('data_base64 must be base64 (contentEncoding) and may be null', () => {
    const definition = definitionOf('data_base64');
    assert.equal(definition.contentEncoding, 'base64');
    accept({ ...valid, data_base64: 'Zm9vYg==' }, 'example');
    accept({ ...valid, data_base64: null }, 'null');
    for (const bad of ['Zm9vYg=', 'Zm9v Yg==', 'Zm9vYg$$', 7, true])
      reject({ ...valid, data_base64: bad }, 'data_base64', String(bad));
  });

  test('the same rules hold through decodeHttpRequest in structured and batched mode', () => {
    const body = new TextEncoder().encode(JSON.stringify([valid, { ...valid, time: 'yesterday' }]));
    assert.throws(() => decodeHttpRequest({ 'content-type': 'application/cloudevents-batch+json' }, body), {
      code: 'MESH_EVENT_INVALID',
      details: { attribute: 'time', rule: 'type:Timestamp' },
    });
  });
}
