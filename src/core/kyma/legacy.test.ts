import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MeshError } from '../errors.js';
import { legacyToCloudEvent, parseLegacyRequest, toKymaError, type KymaError } from './index.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const json = (value: unknown): Uint8Array => bytes(JSON.stringify(value));
const generic = (): never => {
  throw new Error('not a Kyma error');
};

/** The Kyma error a body is answered with (the legacy route's one mapping). */
function kymaErrorOf(body: Uint8Array): KymaError {
  try {
    parseLegacyRequest(body);
  } catch (error) {
    return toKymaError(error, generic);
  }
  assert.fail('the request was accepted');
}

const valid = {
  'event-type': 'order.created',
  'event-type-version': 'v1',
  'event-id': '2a3b8ba5-e7c2-43f7-9fe9-51e6c4f1e9e6',
  'event-time': '2018-10-16T15:00:00Z',
  data: { orderCode: '3211213' },
};
const without = (field: string, extra: Record<string, unknown> = {}): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...valid, ...extra };
  delete copy[field];
  return copy;
};

const missing = (field: string): KymaError => ({
  status: 400,
  type: 'validation_violation',
  message: 'Missing field',
  moreInfo: '',
  details: [{ field, type: 'missing_field', message: 'Missing field', moreInfo: '' }],
});
const invalid = (field: string): KymaError => ({
  status: 400,
  type: 'validation_violation',
  message: 'Invalid field',
  moreInfo: '',
  details: [{ field, type: 'invalid_field', message: 'Invalid field', moreInfo: '' }],
});

// Each row breaks one rule; rows that break two show which one Kyma's order reports first.
const validationCases: readonly { name: string; body: Record<string, unknown>; error: KymaError }[] = [
  { name: 'event-type absent', body: without('event-type'), error: missing('event-type') },
  { name: 'event-type empty', body: { ...valid, 'event-type': '' }, error: missing('event-type') },
  { name: 'event-type null', body: { ...valid, 'event-type': null }, error: missing('event-type') },
  {
    name: 'event-type before event-type-version',
    body: without('event-type', { 'event-type-version': '' }),
    error: missing('event-type'),
  },
  {
    name: 'event-type-version absent',
    body: without('event-type-version'),
    error: missing('event-type-version'),
  },
  {
    name: 'event-type-version without a letter or digit',
    body: { ...valid, 'event-type-version': '.-' },
    error: invalid('event-type-version'),
  },
  {
    name: 'event-type-version checked before event-time is missing',
    body: without('event-time', { 'event-type-version': '.' }),
    error: invalid('event-type-version'),
  },
  { name: 'event-time absent', body: without('event-time'), error: missing('event-time') },
  {
    name: 'event-time not RFC 3339',
    body: { ...valid, 'event-time': '2018-10-16 15:00' },
    error: invalid('event-time'),
  },
  {
    name: 'event-time without an offset',
    body: { ...valid, 'event-time': '2018-10-16T15:00:00' },
    error: invalid('event-time'),
  },
  {
    name: 'event-time with a lower-case t (Go time.RFC3339 refuses it)',
    body: { ...valid, 'event-time': '2018-10-16t15:00:00Z' },
    error: invalid('event-time'),
  },
  {
    name: 'event-time on a day that does not exist',
    body: { ...valid, 'event-time': '2019-02-29T15:00:00Z' },
    error: invalid('event-time'),
  },
  {
    name: 'event-time checked before event-id',
    body: { ...valid, 'event-time': 'yesterday', 'event-id': 'not-a-uuid' },
    error: invalid('event-time'),
  },
  { name: 'event-id not a UUID', body: { ...valid, 'event-id': 'order-1' }, error: invalid('event-id') },
  {
    name: 'event-id checked before data',
    body: without('data', { 'event-id': '1234' }),
    error: invalid('event-id'),
  },
  { name: 'data absent', body: without('data'), error: missing('data') },
  { name: 'data null', body: { ...valid, data: null }, error: missing('data') },
  { name: 'data the empty string', body: { ...valid, data: '' }, error: missing('data') },
  {
    name: 'event-type that CloudEvents refuses (a control character)',
    body: { ...valid, 'event-type': 'order\u0001created' },
    error: invalid('event-type'),
  },
];

describe('legacy event API: validation order and the Kyma error body', () => {
  for (const c of validationCases) {
    test(c.name, () => assert.deepEqual(toKymaErrorOrConvert(c.body), c.error));
  }
});

/** Validation and conversion, as the gateway runs them; returns the Kyma error. */
function toKymaErrorOrConvert(body: Record<string, unknown>): KymaError {
  try {
    legacyToCloudEvent(parseLegacyRequest(json(body)), 'commerce', () => 'generated');
  } catch (error) {
    return toKymaError(error, generic);
  }
  assert.fail('the request was accepted');
}

describe('legacy event API: bad payload syntax', () => {
  const badPayload = (moreInfo: string | RegExp) => (body: Uint8Array) => {
    const error = kymaErrorOf(body);
    assert.equal(error.status, 400);
    assert.equal(error.type, 'bad_payload_syntax');
    assert.equal(error.message, 'Bad payload syntax');
    assert.deepEqual(error.details, []);
    if (typeof moreInfo === 'string') assert.equal(error.moreInfo, moreInfo);
    else assert.match(error.moreInfo, moreInfo);
  };
  test('an empty body (Kyma: moreInfo repeats the message)', () =>
    badPayload('Bad payload syntax')(bytes('')));
  test('JSON with a syntax error says where', () =>
    badPayload(/not valid JSON.*line 1, column/)(bytes('{"event-type": "a",}')));
  test('a JSON list', () => badPayload(/must be a JSON object/)(bytes('[]')));
  test('a JSON string', () => badPayload(/must be a JSON object/)(bytes('"event"')));
  test('a field of the wrong JSON type', () =>
    badPayload('event-type-version: must be a string, not a number')(
      json({ ...valid, 'event-type-version': 1 }),
    ));
  test('a JSON null body leaves every field empty, as Kyma decodes it', () =>
    assert.deepEqual(kymaErrorOf(bytes('null')), missing('event-type')));
  test('invalid UTF-8', () => badPayload(/UTF-8/)(new Uint8Array([0x7b, 0xff, 0x7d])));
});

describe('legacy event API: requests as Kyma documents them are accepted', () => {
  test('with event-id (Application Connector documentation)', () => {
    const request = parseLegacyRequest(json(valid));
    assert.deepEqual(request, {
      eventType: 'order.created',
      eventTypeVersion: 'v1',
      eventId: '2a3b8ba5-e7c2-43f7-9fe9-51e6c4f1e9e6',
      eventTime: '2018-10-16T15:00:00Z',
      data: '{"orderCode":"3211213"}',
    });
  });
  test('without event-id, with fractional seconds (Kyma eventing tutorial)', () => {
    const body = bytes(`{
      "event-type": "order.received",
      "event-type-version": "v1",
      "event-time": "2020-09-28T14:47:16.491Z",
      "data": {"orderCode":"3211213"}
    }`);
    const request = parseLegacyRequest(body);
    assert.equal(request.eventId, undefined);
    assert.equal(request.eventTime, '2020-09-28T14:47:16.491Z');
  });
  test('a string data, an offset time, unknown fields ignored', () => {
    const request = parseLegacyRequest(
      bytes(
        '{"source-id":"x","event-type":"t","event-type-version":"v1","event-time":"2018-11-02T22:08:41+00:00","data":"some data"}',
      ),
    );
    assert.equal(request.data, '"some data"');
  });
  test('event-type-version is matched unanchored, as Kyma does ("v1.0" passes)', () => {
    assert.equal(
      parseLegacyRequest(json({ ...valid, 'event-type-version': 'v1.0' })).eventTypeVersion,
      'v1.0',
    );
  });
  test('data false and 0 are present values', () => {
    assert.equal(parseLegacyRequest(json({ ...valid, data: false })).data, 'false');
    assert.equal(parseLegacyRequest(json({ ...valid, data: 0 })).data, '0');
  });
});

describe('legacy event API: data is kept byte for byte', () => {
  const cases: readonly [string, string][] = [
    ['number literals and key order', '{ "b": 1.50, "a": 12345678901234567890 }'],
    ['escapes', '"caf\\u00e9 \\"x\\""'],
    ['nested lists and objects with strings holding brackets', '[{"x": "]}"}, [1, [2]], "{"]'],
    ['a literal', 'true'],
  ];
  for (const [name, data] of cases) {
    test(name, () => {
      const text = `{"event-type":"t","data": ${data} ,"event-type-version":"v1","event-time":"2018-10-16T15:00:00Z"}`;
      assert.equal(parseLegacyRequest(bytes(text)).data, data);
    });
  }
  test('a duplicated data member: the last one, as JSON.parse keeps', () => {
    const text =
      '{"data":1,"event-type":"t","event-type-version":"v1","event-time":"2018-10-16T15:00:00Z","data":{"n":2}}';
    assert.equal(parseLegacyRequest(bytes(text)).data, '{"n":2}');
  });
});

describe('legacy event API: conversion to CloudEvents 1.0', () => {
  test('type, source := application, id, time, eventtypeversion and JSON data', () => {
    const event = legacyToCloudEvent(parseLegacyRequest(json(valid)), 'commerce', () => 'unused');
    assert.deepEqual(event.attributes, {
      specversion: '1.0',
      id: '2a3b8ba5-e7c2-43f7-9fe9-51e6c4f1e9e6',
      source: 'commerce',
      type: 'order.created',
      time: '2018-10-16T15:00:00Z',
      datacontenttype: 'application/json',
      eventtypeversion: 'v1',
    });
    assert.equal(new TextDecoder().decode(event.data), '{"orderCode":"3211213"}');
  });
  test('without event-id the id is a new one', () => {
    const request = parseLegacyRequest(json({ ...valid, 'event-id': undefined }));
    const event = legacyToCloudEvent(request, 'commerce', () => 'b9f7a1a0-0000-4000-8000-000000000001');
    assert.equal(event.attributes['id'], 'b9f7a1a0-0000-4000-8000-000000000001');
  });
  test('an error that is not about a legacy field passes through unchanged', () => {
    const request = parseLegacyRequest(json(valid));
    assert.throws(
      () => legacyToCloudEvent(request, 'bad app\u0001', () => 'x'),
      (error: unknown) => error instanceof MeshError && error.code === 'MESH_EVENT_INVALID',
    );
  });
});

describe('the Kyma error body of other failures', () => {
  test('a body over the limit is a 413 request_body_too_large', () => {
    const error = toKymaError(new MeshError('MESH_BODY_TOO_LARGE', 'over 65536 bytes'), generic);
    assert.deepEqual(error, {
      status: 413,
      type: 'request_body_too_large',
      message: 'Request body too large',
      moreInfo: 'over 65536 bytes',
      details: [],
    });
  });
  test('other codes keep the listener status, with the code as the type', () => {
    const error = toKymaError(new MeshError('MESH_FORBIDDEN', 'not yours'), () => ({
      status: 403,
      code: 'MESH_FORBIDDEN',
      message: 'not yours',
    }));
    assert.deepEqual(error, {
      status: 403,
      type: 'forbidden',
      message: 'not yours',
      moreInfo: '',
      details: [],
    });
  });
  test('internal errors are internal_server, as Kyma names them', () => {
    const error = toKymaError(new Error('boom'), () => ({
      status: 500,
      code: 'MESH_INTERNAL',
      message: 'internal error',
    }));
    assert.equal(error.type, 'internal_server');
    assert.equal(error.status, 500);
  });
});
