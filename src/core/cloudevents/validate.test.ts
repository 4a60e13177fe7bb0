import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../errors.js';
import type { AttributeValue, CloudEvent } from './model.js';
import { validateEvent } from './validate.js';

const base: Record<string, AttributeValue> = {
  specversion: '1.0',
  id: 'e-1',
  source: '/s',
  type: 'com.example.t',
};

function event(changes: Record<string, AttributeValue | undefined>, data?: unknown): CloudEvent {
  const attributes: Record<string, AttributeValue> = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete attributes[k];
    else attributes[k] = v;
  }
  return (data === undefined ? { attributes } : { attributes, data }) as CloudEvent;
}

function rejects(e: CloudEvent, code: string, attribute: string, rule: string): void {
  assert.throws(
    () => validateEvent(e),
    (error: unknown) => {
      assert.ok(error instanceof MeshError);
      assert.equal(error.code, code);
      assert.equal(error.details.attribute, attribute);
      assert.equal(error.details.rule, rule);
      assert.match(error.message, new RegExp(`'${attribute}'`));
      return true;
    },
  );
}

const invalid = (attribute: string, rule: string) => ['MESH_EVENT_INVALID', attribute, rule] as const;

test('a minimal event with the four required attributes is valid', () => {
  validateEvent(event({}));
});

test('MUST include the REQUIRED attributes id, source, specversion and type', () => {
  for (const name of ['id', 'source', 'type'])
    rejects(event({ [name]: undefined }), ...invalid(name, 'required'));
  rejects(event({ specversion: undefined }), ...invalid('specversion', 'required'));
});

test('the missing-attribute message names the attribute and the rule', () => {
  assert.throws(() => validateEvent(event({ source: undefined })), {
    message: "attribute 'source': required attribute is missing",
  });
});

test('id, source, specversion and type MUST be non-empty strings', () => {
  for (const name of ['id', 'source', 'type']) rejects(event({ [name]: '' }), ...invalid(name, 'non-empty'));
  rejects(event({ id: 7 }), ...invalid('id', 'type:String'));
  rejects(event({ type: true }), ...invalid('type', 'type:String'));
});

test('specversion other than 1.0 is MESH_SPECVERSION_UNSUPPORTED, naming the version sent', () => {
  for (const version of ['0.3', '1.0.2', '2.0', '1']) {
    assert.throws(
      () => validateEvent(event({ specversion: version })),
      (error: unknown) =>
        error instanceof MeshError &&
        error.code === 'MESH_SPECVERSION_UNSUPPORTED' &&
        error.message.includes(`'${version}'`) &&
        error.message.includes('only version 1.0 is supported'),
    );
  }
  rejects(event({ specversion: 1 }), ...invalid('specversion', 'type:String'));
  rejects(event({ specversion: '' }), ...invalid('specversion', 'non-empty'));
});

test('OPTIONAL attributes, if present, MUST be non-empty', () => {
  for (const name of ['subject', 'dataschema', 'datacontenttype', 'time']) {
    rejects(event({ [name]: '' }), ...invalid(name, 'non-empty'));
  }
});

test('attribute names MUST consist of lower-case letters a-z or digits 0-9', () => {
  for (const name of ['aString', 'a_invalid_name', 'my-ext', 'ünïcode', 'with space', 'ID']) {
    rejects(event({ [name]: 'x' }), ...invalid(name, 'name'));
  }
});

test('attribute names MUST NOT be data (reserved by event formats)', () => {
  rejects(event({ data: 'x' }), ...invalid('data', 'name'));
});

test('attribute names longer than 20 characters are accepted (SHOULD NOT, not MUST NOT)', () => {
  validateEvent(event({ averyveryverylongextensionname42: 'x', '0digitsfirst': 'x' }));
});

test('Integer attributes MUST be in the signed 32-bit range', () => {
  validateEvent(event({ a: 0, b: -2147483648, c: 2147483647, d: -1 }));
  rejects(event({ myint: 2147483648 }), ...invalid('myint', 'type:Integer'));
  rejects(event({ myint: -2147483649 }), ...invalid('myint', 'type:Integer'));
  assert.throws(() => validateEvent(event({ myint: 4247483647 })), /'myint': Integer must fit in 32 bits/);
});

test('Integer attributes MUST be whole numbers', () => {
  for (const value of [42.42, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    rejects(event({ myint: value }), ...invalid('myint', 'type:Integer'));
  }
});

test('Boolean extension attributes are accepted', () => {
  validateEvent(event({ yes: true, no: false }));
});

test('attribute values outside the type system are rejected', () => {
  for (const value of [null, {}, [], undefined]) {
    const e = { attributes: { ...base, ext: value } } as unknown as CloudEvent;
    rejects(e, ...invalid('ext', 'type'));
  }
});

const badStrings: [label: string, value: string][] = [
  ['NUL', 'a\u0000b'],
  ['newline', 'line\n'],
  ['tab', 'a\tb'],
  ['unit separator U+001F', '\u001f'],
  ['DEL U+007F', '\u007f'],
  ['C1 control U+0085', 'a\u0085'],
  ['C1 control U+009F', '\u009f'],
  ['noncharacter U+FDD0', '\ufdd0'],
  ['noncharacter U+FFFE', '\ufffe'],
  ['noncharacter U+FFFF', '\uffff'],
  ['noncharacter U+1FFFE', '\ud83f\udffe'],
  ['noncharacter U+10FFFF', '\udbff\udfff'],
  ['unpaired high surrogate', 'a\ud800b'],
  ['unpaired high surrogate at end', 'a\ud800'],
  ['unpaired low surrogate', '\udead'],
];

test('String values MUST NOT contain control characters, noncharacters or unpaired surrogates', () => {
  for (const [label, value] of badStrings) {
    for (const name of ['subject', 'id', 'ext']) {
      assert.throws(
        () => validateEvent(event({ [name]: value })),
        (error: unknown) => error instanceof MeshError && error.details.rule === 'type:String',
        `${label} in ${name}`,
      );
    }
  }
});

test('String values may hold any other Unicode, including properly paired surrogates', () => {
  validateEvent(event({ subject: 'Euro € 😀 \ud800\udead \u00a0 \ufdcf \ufdf0 \ufffd', ext: '' }));
});

test('source MUST be a URI-reference (RFC 3986 4.1)', () => {
  const good = [
    'https://github.com/cloudevents',
    'mailto:cncf-wg-serverless@lists.cncf.io',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    '/cloudevents/spec/pull/123',
    '/sensors/tn-1234567/alerts',
    '1-555-123-4567',
    'cloudevents/spec/pull/123',
    '//github.com/cloudevents/cloudeventsconformance/yaml/v1.yaml',
    'http://[::1]:8080/a?b=c#d',
    'x',
    '%41bc',
  ];
  for (const source of good) validateEvent(event({ source }));
  const bad = [
    'a b',
    'http://x/<y>',
    '/caf\u00e9',
    ':nope',
    '1-555:x',
    'http://x/%zz',
    'a\\b',
    'http://x/{y}',
    'a#b#c',
  ];
  for (const source of bad) rejects(event({ source }), ...invalid('source', 'type:URI-reference'));
});

test('dataschema MUST be an absolute URI', () => {
  for (const dataschema of ['http://localhost/schema', 'urn:example:schema', 'https://x/s.json#/defs/a']) {
    validateEvent(event({ dataschema }));
  }
  for (const dataschema of ['/relative/schema', 'schema.json', 'http://x/a b']) {
    rejects(event({ dataschema }), ...invalid('dataschema', 'type:URI'));
  }
});

test('time MUST adhere to RFC 3339', () => {
  const good = [
    '2018-04-05T17:31:00Z',
    '2018-04-26T14:48:09+02:00',
    '2018-04-26T14:48:09.1234Z',
    '2020-02-29T00:00:00-00:00',
    '2016-12-31T23:59:60Z',
    '2018-04-05t17:31:00z',
    '2000-02-29T00:00:00Z',
    '2018-04-05T17:31:00.000000001-23:59',
  ];
  for (const time of good) validateEvent(event({ time }));
  const bad = [
    '2018-04-05',
    '2018-04-05 17:31:00Z',
    '2018-04-05T17:31Z',
    '2018-04-05T17:31:00',
    '2018-13-05T17:31:00Z',
    '2019-02-29T00:00:00Z',
    '2018-04-31T00:00:00Z',
    '2018-04-05T24:00:00Z',
    '2018-04-05T17:60:00Z',
    '2018-04-05T17:31:00+2:00',
    '2018-04-05T17:31:00+24:00',
    '2018-04-05T17:31:00.Z',
    'Thu, 05 Apr 2018 17:31:00 GMT',
    '1900-02-29T00:00:00Z',
    '2018-04-05T17:31:00.123',
    '2018-04-05T17:31:00Z ',
    '2018-04-05T17:31:00+02:00:00',
    '2018-04-05T17:31:00+0200',
    '-018-04-05T17:31:00Z',
    '2018-00-05T17:31:00Z',
    '2018-04-00T17:31:00Z',
    '2018-04-05T17:31:61Z',
    '2018-04-05T17:31:00+02:60',
    '2018/04/05T17:31:00Z',
  ];
  for (const time of bad) rejects(event({ time }), ...invalid('time', 'type:Timestamp'));
});

test('datacontenttype MUST adhere to the RFC 2046 media type format', () => {
  const good = [
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset="utf-8"',
    'text/plain; charset=us-ascii; format=flowed',
    'application/vnd.apache.thrift.binary',
    'application/cloudevents+json',
    'multipart/form-data; boundary="a b"',
  ];
  for (const datacontenttype of good) validateEvent(event({ datacontenttype }));
  const bad = [
    'json',
    'application/',
    '/json',
    'application/json;',
    'application/json; charset',
    'text/plain; a=b c',
    'a b/c',
  ];
  for (const datacontenttype of bad)
    rejects(event({ datacontenttype }), ...invalid('datacontenttype', 'media-type'));
});

test('data must be bytes', () => {
  validateEvent(event({}, new Uint8Array([1, 2])));
  rejects(event({}, 'text'), ...invalid('data', 'type:Binary'));
});
