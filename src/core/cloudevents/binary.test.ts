import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../errors.js';
import { decodeBinary, encodeBinary } from './binary.js';
import type { HttpHeaders } from './binary.js';

const utf8 = new TextEncoder();
const required = { 'ce-specversion': '1.0', 'ce-id': 'b-1', 'ce-source': '/src', 'ce-type': 'com.example.t' };

function rejects(headers: HttpHeaders, attribute: string, rule: string, code = 'MESH_EVENT_INVALID'): void {
  assert.throws(
    () => decodeBinary(headers, new Uint8Array()),
    (error: unknown) =>
      error instanceof MeshError &&
      error.code === code &&
      error.details.attribute === attribute &&
      error.details.rule === rule,
  );
}

test('ce- headers become attributes and Content-Type becomes datacontenttype (HTTP binding 3.1.1, 3.1.3)', () => {
  const body = utf8.encode('{"a":1}');
  const event = decodeBinary(
    { ...required, 'ce-time': '2018-04-05T03:56:24Z', 'content-type': 'application/json', 'user-agent': 'x' },
    body,
  );
  assert.deepEqual(event.attributes, {
    specversion: '1.0',
    id: 'b-1',
    source: '/src',
    type: 'com.example.t',
    time: '2018-04-05T03:56:24Z',
    datacontenttype: 'application/json',
  });
  assert.equal(event.data, body, 'the body is the data, not a copy');
});

test('header names are case-insensitive', () => {
  const event = decodeBinary(
    {
      'CE-SpecVersion': '1.0',
      'Ce-Id': '1',
      'cE-source': '/s',
      'ce-TYPE': 't',
      'Content-Type': 'text/plain',
    },
    utf8.encode('x'),
  );
  assert.deepEqual(event.attributes, {
    specversion: '1.0',
    id: '1',
    source: '/s',
    type: 't',
    datacontenttype: 'text/plain',
  });
});

test('an empty body means no data', () => {
  const event = decodeBinary(required, new Uint8Array());
  assert.equal('data' in event, false);
});

test('a Buffer body becomes a plain Uint8Array view of the same memory', () => {
  const body = Buffer.from('hello');
  const data = decodeBinary(required, body).data;
  assert.ok(data !== undefined);
  assert.equal(Object.getPrototypeOf(data), Uint8Array.prototype);
  assert.equal(data.buffer, body.buffer);
  assert.equal(data.byteOffset, body.byteOffset);
});

test('extension values from headers stay strings (no type coercion in binary mode)', () => {
  const event = decodeBinary({ ...required, 'ce-count': '5', 'ce-flag': 'true' }, new Uint8Array());
  assert.equal(event.attributes.count, '5');
  assert.equal(event.attributes.flag, 'true');
});

test('header values are percent-decoded', () => {
  const event = decodeBinary({ ...required, 'ce-subject': 'Euro%20%E2%82%AC' }, new Uint8Array());
  assert.equal(event.attributes.subject, 'Euro \u20ac');
});

test('a ce-datacontenttype header MUST NOT be present in binary mode', () => {
  rejects({ ...required, 'ce-datacontenttype': 'application/json' }, 'datacontenttype', 'binding');
});

test('a repeated attribute header is rejected, not joined', () => {
  rejects({ ...required, 'ce-ext': ['a', 'b'] }, 'ext', 'single-header');
  rejects({ ...required, 'ce-ext': 'a', 'CE-EXT': 'b' }, 'ext', 'single-header');
  const one = decodeBinary({ ...required, 'ce-ext': ['only'] }, new Uint8Array());
  assert.equal(one.attributes.ext, 'only');
});

test('header names that are not valid attribute names are rejected', () => {
  rejects({ ...required, 'ce-my_ext': 'x' }, 'my_ext', 'name');
  rejects({ ...required, 'ce-': 'x' }, '', 'name');
  rejects({ ...required, 'ce-data': 'x' }, 'data', 'name');
  rejects({ ...required, 'ce-__proto__': 'x' }, '__proto__', 'name');
});

test('names of Object.prototype members are ordinary attribute names', () => {
  const event = decodeBinary({ ...required, 'ce-constructor': 'a', 'ce-tostring': 'b' }, new Uint8Array());
  assert.equal(event.attributes.constructor, 'a');
  assert.equal(event.attributes.tostring, 'b');
});

test('binary events are validated: missing, bad and unsupported attributes are rejected', () => {
  rejects({ ...required, 'ce-source': undefined }, 'source', 'required');
  rejects({ ...required, 'ce-time': 'yesterday' }, 'time', 'type:Timestamp');
  rejects(
    { ...required, 'ce-specversion': '0.3' },
    'specversion',
    'specversion',
    'MESH_SPECVERSION_UNSUPPORTED',
  );
  rejects({ ...required, 'ce-ext': 'a%0Ab' }, 'ext', 'type:String');
  rejects({ ...required, 'content-type': 'not a media type' }, 'datacontenttype', 'media-type');
});

test('an empty Content-Type header counts as absent', () => {
  assert.equal(
    decodeBinary({ ...required, 'content-type': '' }, new Uint8Array()).attributes.datacontenttype,
    undefined,
  );
});

test('encodeBinary writes ce- headers, Content-Type and the data as body', () => {
  const data = new Uint8Array([0xff, 0, 1]);
  const encoded = encodeBinary({
    attributes: {
      specversion: '1.0',
      id: 'x y',
      source: '/s',
      type: 't',
      datacontenttype: 'application/octet-stream',
      count: 5,
      flag: false,
    },
    data,
  });
  assert.deepEqual(encoded.headers, {
    'ce-specversion': '1.0',
    'ce-id': 'x%20y',
    'ce-source': '/s',
    'ce-type': 't',
    'content-type': 'application/octet-stream',
    'ce-count': '5',
    'ce-flag': 'false',
  });
  assert.equal(encoded.body, data);
});

test('encodeBinary invents no Content-Type and no body for an event without them', () => {
  const encoded = encodeBinary({ attributes: { specversion: '1.0', id: '1', source: '/s', type: 't' } });
  assert.equal(encoded.headers['content-type'], undefined);
  assert.equal(encoded.body, undefined);
});

test('binary -> model -> binary is the identity on attributes and body', () => {
  const headers = {
    ...required,
    'ce-subject': 'a%20%22b%22%20%25%20%E2%82%AC',
    'ce-time': '2018-04-05T03:56:24.123+02:00',
    'ce-ext1': 'value',
    'ce-dataschema': 'https://example.com/schema',
    'content-type': 'application/json; charset=utf-8',
  };
  const body = utf8.encode('{ "spacing" : [1, 2.50] }');
  const encoded = encodeBinary(decodeBinary(headers, body));
  assert.deepEqual(encoded.headers, headers);
  assert.equal(encoded.body, body);
});
