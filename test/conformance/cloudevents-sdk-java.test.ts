// The sdk-java JSON format fixtures (formats/json-jackson/src/test/resources/v1/*.json), read as data and
// decoded as structured-mode HTTP requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeshError } from '../../src/core/errors.js';
import {
  decodeHttpRequest,
  encodeBinary,
  encodeStructured,
  toStructuredJson,
  type CloudEvent,
} from '../../src/core/cloudevents/index.js';
import { conformancePath } from '../support/conformance.js';

const dir = conformancePath('sdk-java JSON fixtures', 'sdk-java/formats/json-jackson/src/test/resources/v1');
const headers = { 'content-type': 'application/cloudevents+json' };
const utf8 = new TextEncoder();
if (dir !== undefined) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const read = (file: string) => readFileSync(join(dir, file));
  const decode = (file: string) => decodeHttpRequest(headers, read(file)).events[0] as CloudEvent;

  const common = { specversion: '1.0', id: '1', type: 'mock.test', source: 'http://localhost/source' };
  const withTime = { subject: 'sub', time: '2018-04-26T14:48:09+02:00' };
  const jsonEvent = {
    ...common,
    dataschema: 'http://localhost/schema',
    datacontenttype: 'application/json',
    ...withTime,
  };
  const ext = { astring: 'aaa', aboolean: true, anumber: 10 };

  /** What each accepted fixture decodes to: attributes in their JSON types, data as bytes. */
  const accepted: Record<string, CloudEvent> = {
    'base64_json_data.json': { attributes: jsonEvent, data: utf8.encode('{}') },
    'base64_json_data_with_ext.json': { attributes: { ...jsonEvent, ...ext }, data: utf8.encode('{}') },
    'base64_text_data.json': {
      attributes: { ...common, datacontenttype: 'text/plain', ...withTime },
      data: utf8.encode('Hello World Lorena!'),
    },
    'base64_xml_data.json': {
      attributes: { ...common, datacontenttype: 'application/xml', ...withTime },
      data: utf8.encode('<stuff></stuff>'),
    },
    'binary_attr.json': { attributes: { ...common, binary: '4P8ARKo=' } },
    'json_data.json': { attributes: jsonEvent, data: utf8.encode('{}') },
    'json_data_with_ext.json': { attributes: { ...jsonEvent, ...ext }, data: utf8.encode('{}') },
    'json_data_with_fractional_time.json': {
      attributes: { ...jsonEvent, subject: 'sub', time: '2018-04-26T14:48:09.1234Z' },
      data: utf8.encode('{}'),
    },
    'min.json': { attributes: common },
    'min_subject_null.json': { attributes: common },
    'numeric_ext.json': {
      attributes: { ...common, integer: 42, decimal: '42.42', float: '4.2', long: '4200' },
    },
    'text_data.json': {
      attributes: { ...common, datacontenttype: 'text/plain', ...withTime },
      data: utf8.encode('Hello World Lorena!'),
    },
    'xml_data.json': {
      attributes: { ...common, datacontenttype: 'application/xml', ...withTime },
      data: utf8.encode('<stuff></stuff>'),
    },
  };

  /** Fixtures that break a MUST, with the attribute and rule the rejection names. */
  const rejected: Record<string, [attribute: string, rule: string]> = {
    // Spec "Type System": Integer is a signed 32-bit whole number.
    'fail_numeric_decimal.json': ['decimal', 'type:Integer'],
    'fail_numeric_long.json': ['long', 'type:Integer'],
    // Spec "Attribute Naming Convention": names MUST be lower-case a-z and 0-9. sdk-java accepts these two only
    // with opt-in lenient settings (lower-casing, dropping names); by default it rejects them, as we do.
    'json_data_with_ext_invalid.json': ['a_invalid_name', 'name'],
    'json_data_with_ext_upper_case.json': ['aString', 'name'],
  };

  test('every v1 fixture is classified (17 files)', () => {
    assert.equal(files.length, 17);
    assert.deepEqual(files, [...Object.keys(accepted), ...Object.keys(rejected)].sort());
  });

  for (const [file, expected] of Object.entries(accepted)) {
    test(`${file} is accepted and decodes to the expected event`, () => {
      assert.deepEqual(decode(file), expected);
    });
  }

  for (const [file, [attribute, rule]] of Object.entries(rejected)) {
    test(`${file} is rejected: '${attribute}' breaks ${rule}`, () => {
      assert.throws(
        () => decode(file),
        (error: unknown) =>
          error instanceof MeshError &&
          error.code === 'MESH_EVENT_INVALID' &&
          error.details.attribute === attribute &&
          error.details.rule === rule &&
          error.message.includes(`'${attribute}'`),
      );
    });
  }

  test("data and data_base64 fixtures of the same event decode to the same event (sdk-java's pairs)", () => {
    for (const [plain, base64] of [
      ['json_data.json', 'base64_json_data.json'],
      ['json_data_with_ext.json', 'base64_json_data_with_ext.json'],
      ['text_data.json', 'base64_text_data.json'],
      ['xml_data.json', 'base64_xml_data.json'],
    ] as const) {
      assert.deepEqual(decode(plain), decode(base64), `${plain} vs ${base64}`);
    }
  });

  test('structured -> model -> structured gives back every fixture without data_base64 (nulls dropped)', () => {
    for (const file of Object.keys(accepted)) {
      const object = JSON.parse(read(file).toString('utf8')) as Record<string, unknown>;
      if ('data_base64' in object) continue;
      const withoutNulls = Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null));
      assert.deepEqual(toStructuredJson(decode(file)), withoutNulls, file);
      const encoded = encodeStructured(decode(file));
      assert.deepEqual(JSON.parse(new TextDecoder().decode(encoded.body)), withoutNulls, file);
    }
  });

  test('every accepted fixture survives structured -> model -> structured -> model unchanged', () => {
    for (const file of Object.keys(accepted)) {
      const encoded = encodeStructured(decode(file));
      assert.deepEqual(decodeHttpRequest(encoded.headers, encoded.body).events, [decode(file)], file);
    }
  });

  test('every accepted fixture survives model -> binary -> model, with attribute values as strings', () => {
    for (const file of Object.keys(accepted)) {
      const event = decode(file);
      const encoded = encodeBinary(event);
      const again = decodeHttpRequest(encoded.headers, encoded.body ?? new Uint8Array())
        .events[0] as CloudEvent;
      const asStrings = Object.fromEntries(Object.entries(event.attributes).map(([k, v]) => [k, String(v)]));
      assert.deepEqual(
        again,
        event.data === undefined ? { attributes: asStrings } : { attributes: asStrings, data: event.data },
        file,
      );
    }
  });
}
