import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBody, eventFields } from './kyma-event.js';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

test('decodeBody: as Kyma body parsers give it (JSON, text, form, raw bytes, nothing)', () => {
  const cases: [string | undefined, Buffer, unknown][] = [
    ['application/json', json({ a: 1 }), { a: 1 }],
    ['application/json; charset=utf-8', json([1, 2]), [1, 2]],
    ['application/vnd.api+json', json({ b: true }), { b: true }],
    ['application/json', Buffer.from('{not json'), '{not json'],
    ['text/plain', Buffer.from('hello'), 'hello'],
    ['application/x-www-form-urlencoded', Buffer.from('a=1&b=x%20y'), { a: '1', b: 'x y' }],
    ['application/octet-stream', Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3])],
    [undefined, Buffer.from([7]), Buffer.from([7])],
    ['application/json', Buffer.alloc(0), undefined],
  ];
  for (const [type, body, expected] of cases)
    assert.deepEqual(decodeBody(type, body), expected, String(type));
});

test('eventFields: binary mode gives ce-<attribute> for every attribute, extensions included, percent-decoded', () => {
  const fields = eventFields(
    {
      'ce-specversion': '1.0',
      'ce-id': 'e1',
      'ce-type': 'order.created',
      'ce-source': '/shop',
      'ce-time': '2026-01-01T00:00:00Z',
      'ce-eventtypeversion': 'v1',
      'ce-subject': 'caf%C3%A9',
      'content-type': 'application/json',
      prefer: 'reply',
    },
    json({ id: 1 }),
  );
  assert.deepEqual(fields, {
    'ce-specversion': '1.0',
    'ce-id': 'e1',
    'ce-type': 'order.created',
    'ce-source': '/shop',
    'ce-time': '2026-01-01T00:00:00Z',
    'ce-eventtypeversion': 'v1',
    'ce-subject': 'café',
    'ce-datacontenttype': 'application/json',
    data: { id: 1 },
  });
});

test('eventFields: structured mode reads the envelope; data_base64 becomes bytes', () => {
  const headers = { 'content-type': 'application/cloudevents+json' };
  assert.deepEqual(
    eventFields(
      headers,
      json({ specversion: '1.0', id: '2', type: 't', source: 's', data: { x: 1 }, ext: 'v' }),
    ),
    {
      'ce-specversion': '1.0',
      'ce-id': '2',
      'ce-type': 't',
      'ce-source': 's',
      'ce-ext': 'v',
      data: { x: 1 },
    },
  );
  const binary = eventFields(
    headers,
    json({ specversion: '1.0', id: '3', type: 't', source: 's', data_base64: 'AQI=' }),
  );
  assert.deepEqual(binary['data'], Buffer.from([1, 2]));
});

test('eventFields: a request that is no CloudEvent gives only data', () => {
  assert.deepEqual(eventFields({ 'content-type': 'text/plain' }, Buffer.from('hi')), { data: 'hi' });
  // Binary mode needs both ce-type and ce-source (as Kyma's runtime checks).
  assert.deepEqual(eventFields({ 'ce-type': 't', 'content-type': 'text/plain' }, Buffer.from('x')), {
    data: 'x',
  });
});
