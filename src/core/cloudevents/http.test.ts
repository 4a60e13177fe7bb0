import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../errors.js';
import type { HttpHeaders } from './binary.js';
import { decodeHttpRequest, looksLikeCloudEvent } from './http.js';
import { encodeBatch, encodeStructured } from './structured.js';

const utf8 = new TextEncoder();
const required = { specversion: '1.0', id: 'h-1', source: '/s', type: 't' };
const structured = { 'content-type': 'application/cloudevents+json' };
const batch = { 'content-type': 'application/cloudevents-batch+json' };
const json = (value: unknown) => utf8.encode(JSON.stringify(value));

function fails(headers: HttpHeaders, body: string | Uint8Array, code: string, message?: RegExp): MeshError {
  let caught: unknown;
  try {
    decodeHttpRequest(headers, typeof body === 'string' ? utf8.encode(body) : body);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof MeshError, 'expected a MeshError');
  assert.equal(caught.code, code);
  if (message) assert.match(caught.message, message);
  return caught;
}

test('the content mode is chosen by Content-Type (HTTP binding 3)', () => {
  const binary = decodeHttpRequest(
    {
      'ce-specversion': '1.0',
      'ce-id': '1',
      'ce-source': '/s',
      'ce-type': 't',
      'content-type': 'application/json',
    },
    utf8.encode('{}'),
  );
  assert.equal(binary.mode, 'binary');
  const one = decodeHttpRequest(
    { 'content-type': 'application/cloudevents+json; charset=UTF-8' },
    json(required),
  );
  assert.equal(one.mode, 'structured');
  assert.deepEqual(one.events, [{ attributes: required }]);
  const many = decodeHttpRequest(
    { 'content-type': 'Application/CloudEvents-Batch+JSON' },
    json([required, required]),
  );
  assert.equal(many.mode, 'batch');
  assert.equal(many.events.length, 2);
});

test('Content-Type is found whatever the case of its name', () => {
  assert.equal(
    decodeHttpRequest({ 'Content-Type': 'application/cloudevents+json' }, json(required)).mode,
    'structured',
  );
});

test('ce- headers are ignored in structured mode: the body is the event', () => {
  const decoded = decodeHttpRequest({ ...structured, 'ce-id': 'header-id', 'ce-ext': 'x' }, json(required));
  assert.deepEqual(decoded.events[0]?.attributes, required);
});

test('an empty batch is allowed and yields no events (HTTP binding 3.3.2)', () => {
  assert.deepEqual(decodeHttpRequest(batch, utf8.encode('[]')), { mode: 'batch', events: [] });
});

test('batched mode is all-or-nothing: one invalid event rejects the batch, naming its index', () => {
  const error = fails(
    batch,
    json([required, required, { ...required, source: '' }]),
    'MESH_EVENT_INVALID',
    /^event \[2\] of the batch: attribute 'source'/,
  );
  assert.deepEqual(error.details, { attribute: 'source', rule: 'non-empty' });
  fails(
    batch,
    json([required, { ...required, specversion: '0.3' }]),
    'MESH_SPECVERSION_UNSUPPORTED',
    /event \[1\]/,
  );
  fails(batch, json([required, 'not an event']), 'MESH_BODY_MALFORMED', /event \[1\]/);
  fails(
    batch,
    '[{"specversion":"1.0","id":"1","source":"/s","type":"t"},{"specversion":"1.0","id":"1","source":"/s","type":"t","n":1e2}]',
    'MESH_EVENT_INVALID',
    /event \[1\].*'n'/,
  );
});

test('a batch body must be a JSON array', () => {
  fails(batch, json(required), 'MESH_BODY_MALFORMED', /JSON array/);
});

test('event formats other than JSON are MESH_CONTENT_TYPE_UNSUPPORTED', () => {
  for (const type of [
    'application/cloudevents+avro',
    'application/cloudevents+protobuf',
    'application/cloudevents',
    'application/cloudevents-batch+avro',
  ]) {
    fails(
      { 'content-type': type },
      '{}',
      'MESH_CONTENT_TYPE_UNSUPPORTED',
      new RegExp(type.replace('+', '\\+')),
    );
  }
});

test('JSON formats with a charset other than UTF-8 are MESH_CONTENT_TYPE_UNSUPPORTED', () => {
  fails(
    { 'content-type': 'application/cloudevents+json; charset=iso-8859-1' },
    json(required),
    'MESH_CONTENT_TYPE_UNSUPPORTED',
    /iso-8859-1/,
  );
  decodeHttpRequest({ 'content-type': 'application/cloudevents+json; charset="utf-8"' }, json(required));
});

test('malformed JSON is MESH_BODY_MALFORMED and says where', () => {
  fails(
    structured,
    '{"specversion": "1.0",\n  "id": "1" "source": "/s"}',
    'MESH_BODY_MALFORMED',
    /expected ',' or '}' but found '"' at line 2, column 13/,
  );
  fails(structured, '{"a": tru}', 'MESH_BODY_MALFORMED', /line 1, column 7/);
  fails(structured, '', 'MESH_BODY_MALFORMED', /empty/);
  fails(structured, new Uint8Array([0x7b, 0xff, 0x7d]), 'MESH_BODY_MALFORMED', /UTF-8/);
  fails(structured, '"just a string"', 'MESH_BODY_MALFORMED', /JSON object/);
});

test('a UTF-8 byte-order mark before a JSON body is ignored', () => {
  const body = new Uint8Array([0xef, 0xbb, 0xbf, ...json(required)]);
  assert.deepEqual(decodeHttpRequest(structured, body).events, [{ attributes: required }]);
});

test('Integer members MUST be written without fraction or exponent (JSON format 2.2)', () => {
  for (const literal of ['10.0', '1e1', '1E+1', '-0.0']) {
    const body = `{"specversion":"1.0","id":"1","source":"/s","type":"t","myint":${literal},"data":1.5}`;
    const error = fails(
      structured,
      body,
      'MESH_EVENT_INVALID',
      new RegExp(`got ${literal.replace('+', '\\+')}`),
    );
    assert.deepEqual(error.details, { attribute: 'myint', rule: 'type:Integer' });
  }
  const ok = decodeHttpRequest(
    structured,
    utf8.encode('{"specversion":"1.0","id":"1","source":"/s","type":"t","a":-0,"b":7,"data":{"x":1.5e3}}'),
  );
  assert.deepEqual(ok.events[0]?.attributes, { ...required, id: '1', a: -0, b: 7 });
});

test('looksLikeCloudEvent: a ce-specversion header or a CloudEvents content type', () => {
  assert.equal(looksLikeCloudEvent({ 'ce-specversion': '1.0' }), true);
  assert.equal(looksLikeCloudEvent({ 'CE-SPECVERSION': '0.3' }), true);
  assert.equal(looksLikeCloudEvent({ 'content-type': 'application/cloudevents+json' }), true);
  assert.equal(looksLikeCloudEvent({ 'content-type': 'application/cloudevents-batch+json' }), true);
  assert.equal(looksLikeCloudEvent({ 'content-type': 'application/json', 'ce-id': '1' }), false);
  assert.equal(looksLikeCloudEvent({}), false);
});

test('encodeStructured and encodeBatch output decodes back to the same events', () => {
  const events = [
    { attributes: { ...required, n: 3, datacontenttype: 'application/json' }, data: utf8.encode('{"a":1}') },
    { attributes: { ...required, id: '2', datacontenttype: 'image/png' }, data: new Uint8Array([1, 2, 255]) },
    { attributes: { ...required, id: '3' } },
  ];
  const one = encodeStructured(events[1]!);
  assert.deepEqual(decodeHttpRequest(one.headers, one.body).events, [events[1]]);
  const all = encodeBatch(events);
  assert.equal(all.headers['content-type'], 'application/cloudevents-batch+json; charset=utf-8');
  assert.deepEqual(decodeHttpRequest(all.headers, all.body).events, events);
});
