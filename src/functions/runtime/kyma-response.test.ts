import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emittedEvent,
  errorResponse,
  isCloudEventLike,
  planResponse,
  responseCloudEvent,
} from './kyma-response.js';

const text = (body: Buffer | undefined): string | undefined => body?.toString('utf8');

test('planResponse: the return value as Kyma answers it', () => {
  const cases: [unknown, number, Record<string, string>, string | undefined][] = [
    [{ a: 1 }, 200, { 'content-type': 'application/json; charset=utf-8' }, '{"a":1}'],
    [[1], 200, { 'content-type': 'application/json; charset=utf-8' }, '[1]'],
    ['hello', 200, { 'content-type': 'text/plain; charset=utf-8' }, 'hello'],
    [42, 200, { 'content-type': 'text/plain; charset=utf-8' }, '42'],
    [undefined, 200, {}, undefined],
    [null, 200, {}, undefined],
    ['', 200, {}, undefined],
  ];
  for (const [result, status, headers, body] of cases) {
    const plan = planResponse(result);
    assert.equal(plan.status, status, String(result));
    assert.deepEqual(plan.headers, headers, String(result));
    assert.equal(text(plan.body), body, String(result));
  }
});

test('planResponse: setResponseStatus and setResponseContentType apply', () => {
  const plan = planResponse('<b>x</b>', { status: 201, contentType: 'text/html' });
  assert.equal(plan.status, 201);
  assert.deepEqual(plan.headers, { 'content-type': 'text/html' });
  assert.equal(planResponse(undefined, { status: 204 }).status, 204);
});

test('planResponse: a returned CloudEvent is answered in structured mode, so the broker takes it as a reply', () => {
  const event = { specversion: '1.0', id: 'r1', type: 'reply', source: '/fn', data: { ok: true } };
  const plan = planResponse(event);
  assert.deepEqual(plan.headers, { 'content-type': 'application/cloudevents+json' });
  assert.deepEqual(JSON.parse(text(plan.body)!), event);
  assert.equal(isCloudEventLike({ specversion: '1.0', id: 'x', type: 't' }), false);
});

test('errorResponse: 500; a thrown string is the message, an Error stays private', () => {
  assert.deepEqual(
    [errorResponse('bad input').status, text(errorResponse('bad input').body)],
    [500, 'bad input'],
  );
  assert.equal(text(errorResponse(new Error('secret path')).body), 'Internal server error');
});

test('emittedEvent: specversion 1.0, fresh id and time, datacontenttype from the data, attributes win', () => {
  const fresh = { id: 'id-1', time: '2026-01-01T00:00:00.000Z' };
  assert.deepEqual(emittedEvent('t', '/s', { a: 1 }, undefined, fresh), {
    specversion: '1.0',
    id: 'id-1',
    time: '2026-01-01T00:00:00.000Z',
    type: 't',
    source: '/s',
    datacontenttype: 'application/json',
    data: { a: 1 },
  });
  assert.deepEqual(emittedEvent('t', '/s', 'hi', { id: 'mine', eventtypeversion: 'v1' }, fresh), {
    specversion: '1.0',
    id: 'mine',
    time: '2026-01-01T00:00:00.000Z',
    type: 't',
    source: '/s',
    datacontenttype: 'text/plain',
    eventtypeversion: 'v1',
    data: 'hi',
  });
  assert.equal(emittedEvent('t', '/s', Buffer.from([1]), {}, fresh)['data_base64'], 'AQ==');
});

test('responseCloudEvent: keeps the request source, specversion and eventtypeversion', () => {
  const request = { 'ce-source': '/app', 'ce-specversion': '1.0', 'ce-eventtypeversion': 'v2' };
  assert.deepEqual(responseCloudEvent(request, 'r', 'done', { n: 1 }), {
    specversion: '1.0',
    id: 'r',
    type: 'done',
    source: '/app',
    eventtypeversion: 'v2',
    datacontenttype: 'application/json',
    data: { n: 1 },
  });
});
