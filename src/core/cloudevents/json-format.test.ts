import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../errors.js';
import { dataForm, fromStructuredJson, structuredJsonText, toStructuredJson } from './json-format.js';
import type { CloudEvent } from './model.js';

const utf8 = new TextEncoder();
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const required = { specversion: '1.0', id: 'j-1', source: '/s', type: 't' };

function rejects(value: unknown, code: string, attribute?: string, rule?: string): void {
  assert.throws(
    () => fromStructuredJson(value),
    (error: unknown) =>
      error instanceof MeshError &&
      error.code === code &&
      error.details.attribute === attribute &&
      error.details.rule === rule,
  );
}

test('JSON members become attributes with their JSON types (JSON format 2.2)', () => {
  const event = fromStructuredJson({ ...required, str: 'x', int: 42, neg: -1, yes: true });
  assert.deepEqual(event, { attributes: { ...required, str: 'x', int: 42, neg: -1, yes: true } });
});

test('a null attribute MUST be treated as unset (JSON format 2.2)', () => {
  const event = fromStructuredJson({ ...required, subject: null, time: null, ext: null, data_base64: null });
  assert.deepEqual(event, { attributes: required });
  rejects({ ...required, id: null }, 'MESH_EVENT_INVALID', 'id', 'required');
});

test('data with a JSON (or absent) datacontenttype becomes the bytes of its JSON text (JSON format 3.1.2)', () => {
  const rows: [datacontenttype: string | undefined, data: unknown, bytes: string][] = [
    [undefined, { a: [1, 'b'] }, '{"a":[1,"b"]}'],
    ['application/json', 'I am a string', '"I am a string"'],
    [undefined, "I'm just a string", '"I\'m just a string"'],
    ['application/cloudevents+json', 1.5, '1.5'],
    ['text/json', [true, null], '[true,null]'],
    ['application/json; charset=utf-8', null, 'null'],
    ['application/vnd.example+json', '{"not":"parsed"}', '"{\\"not\\":\\"parsed\\"}"'],
  ];
  for (const [datacontenttype, data, bytes] of rows) {
    const event = fromStructuredJson({ ...required, ...(datacontenttype ? { datacontenttype } : {}), data });
    assert.equal(text(event.data), bytes, String(datacontenttype));
  }
});

test('a string data with a non-JSON datacontenttype is the content itself (JSON format 3.1.2)', () => {
  const event = fromStructuredJson({ ...required, datacontenttype: 'text/xml', data: '<much wow="xml"/>' });
  assert.equal(text(event.data), '<much wow="xml"/>');
  const other = fromStructuredJson({ ...required, datacontenttype: 'text/plain', data: { a: 1 } });
  assert.equal(text(other.data), '{"a":1}');
});

test('data: null is an explicit null payload, distinct from no data (JSON format 3.1.1)', () => {
  assert.equal(text(fromStructuredJson({ ...required, data: null }).data), 'null');
  assert.equal(fromStructuredJson({ ...required }).data, undefined);
});

test('data_base64 MUST be decoded into binary', () => {
  const event = fromStructuredJson({ ...required, data_base64: '4P8ARKo=' });
  assert.deepEqual(event.data, new Uint8Array([0xe0, 0xff, 0x00, 0x44, 0xaa]));
  assert.equal(Object.getPrototypeOf(event.data), Uint8Array.prototype);
  assert.deepEqual(fromStructuredJson({ ...required, data_base64: '' }).data, new Uint8Array());
});

test('data_base64 that is not base64 is rejected', () => {
  for (const bad of ['abc', '====', 'ab=c', 'a b=', 'YQ', '***=', 42]) {
    rejects({ ...required, data_base64: bad }, 'MESH_EVENT_INVALID', 'data_base64', 'type:Binary');
  }
});

test('data and data_base64 MUST NOT both be present (JSON format 3.1.1)', () => {
  rejects({ ...required, data: 'x', data_base64: 'eA==' }, 'MESH_EVENT_INVALID', 'data', 'exclusive');
});

test('a structured event that is not a JSON object is malformed', () => {
  for (const value of [null, [], 'event', 7]) rejects(value, 'MESH_BODY_MALFORMED');
});

test('specversion is checked first: a 0.3 event gets MESH_SPECVERSION_UNSUPPORTED', () => {
  rejects(
    { specversion: '0.3', id: '1', source: '/s', type: 't', schemaurl: 'x', datacontentencoding: 'base64' },
    'MESH_SPECVERSION_UNSUPPORTED',
    'specversion',
    'specversion',
  );
});

test('attributes are validated', () => {
  rejects({ ...required, aString: 'x' }, 'MESH_EVENT_INVALID', 'aString', 'name');
  rejects({ ...required, obj: {} }, 'MESH_EVENT_INVALID', 'obj', 'type');
  rejects({ ...required, long: 4247483647 }, 'MESH_EVENT_INVALID', 'long', 'type:Integer');
  rejects({ ...required, subject: 5 }, 'MESH_EVENT_INVALID', 'subject', 'type:String');
  rejects(
    JSON.parse('{"specversion":"1.0","id":"1","source":"/s","type":"t","__proto__":"x"}'),
    'MESH_EVENT_INVALID',
    '__proto__',
    'name',
  );
});

const event = (datacontenttype: string | undefined, data: Uint8Array): CloudEvent => ({
  attributes: datacontenttype === undefined ? required : { ...required, datacontenttype },
  data,
});

test('encoding chooses data or data_base64 by datacontenttype and content (JSON format 3.1.1)', () => {
  const nonUtf8 = new Uint8Array([0xc3, 0x28]);
  const rows: [datacontenttype: string | undefined, data: Uint8Array, kind: string][] = [
    [undefined, utf8.encode('{"a":1}'), 'json'],
    ['application/json', utf8.encode(' [1, 2] '), 'json'],
    ['application/problem+json', utf8.encode('"s"'), 'json'],
    ['text/json', utf8.encode('3'), 'json'],
    ['application/json', utf8.encode('not json'), 'base64'],
    [undefined, utf8.encode('not json'), 'base64'],
    ['application/json', new Uint8Array(), 'base64'],
    ['application/json', nonUtf8, 'base64'],
    ['application/json; charset=utf-16', utf8.encode('{}'), 'base64'],
    ['text/plain', utf8.encode('Hello, \u{1f30e}!'), 'text'],
    ['text/plain; charset=us-ascii', utf8.encode('Hello'), 'text'],
    ['text/plain; charset=iso-8859-1', utf8.encode('Hello'), 'base64'],
    ['text/plain', nonUtf8, 'base64'],
    ['application/xml', utf8.encode('<a/>'), 'text'],
    ['application/atom+xml', utf8.encode('<a/>'), 'text'],
    ['application/octet-stream', utf8.encode('text'), 'base64'],
    ['image/png', new Uint8Array([137, 80]), 'base64'],
  ];
  for (const [datacontenttype, data, kind] of rows) {
    assert.equal(dataForm(datacontenttype, data).kind, kind, `${datacontenttype} ${text(data)}`);
  }
});

test('toStructuredJson holds JSON data as a value, text as a string and other bytes as base64', () => {
  assert.deepEqual(toStructuredJson(event('application/json', utf8.encode('{"a":[1]}'))), {
    ...required,
    datacontenttype: 'application/json',
    data: { a: [1] },
  });
  assert.deepEqual(toStructuredJson(event('text/plain', utf8.encode('hi'))), {
    ...required,
    datacontenttype: 'text/plain',
    data: 'hi',
  });
  assert.deepEqual(toStructuredJson(event('image/png', new Uint8Array([1, 2, 3]))), {
    ...required,
    datacontenttype: 'image/png',
    data_base64: 'AQID',
  });
  assert.deepEqual(toStructuredJson({ attributes: required }), required);
});

test('structuredJsonText keeps the JSON data text as sent (large numbers survive)', () => {
  const json = '{"big": 123456789012345678901234567890, "f": 1.10}';
  const out = structuredJsonText(event('application/json', utf8.encode(json)));
  assert.equal(
    out,
    `{"specversion":"1.0","id":"j-1","source":"/s","type":"t","datacontenttype":"application/json","data":${json}}`,
  );
});

test('structuredJsonText matches JSON.stringify(toStructuredJson()) for compact data', () => {
  for (const e of [
    event(undefined, utf8.encode('{"a":1}')),
    event('text/plain', utf8.encode('line1\nline2 "q"')),
    event('application/octet-stream', new Uint8Array([0, 255])),
    { attributes: { ...required, n: 5, b: true } },
  ]) {
    assert.equal(structuredJsonText(e), JSON.stringify(toStructuredJson(e)));
  }
});

test('structured -> model -> structured is the identity for JSON, text and binary data', () => {
  const objects = [
    { ...required, data: { a: [1, 'b', null] } },
    { ...required, datacontenttype: 'text/plain', data: 'Hello, \u{1f30e}!' },
    { ...required, datacontenttype: 'application/octet-stream', data_base64: '4P8ARKo=' },
    { ...required, time: '2018-04-26T14:48:09+02:00', n: -7, flag: false, data: 'just a string' },
    { ...required },
  ];
  for (const object of objects) assert.deepEqual(toStructuredJson(fromStructuredJson(object)), object);
});
