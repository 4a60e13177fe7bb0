// Interoperability with the official CloudEvents JavaScript SDK (npm `cloudevents`) at the codec level:
// messages the SDK produces decode with our codec to the same event, and what our encoders produce parses with
// the SDK's HTTP.toEvent to the same event. JSON, text and non-UTF-8 binary data; String, Integer and Boolean
// extensions.
//
// SDK behaviours the harness accounts for (SDK 10): it neither percent-encodes nor percent-decodes header
// values (values here need no encoding; raw spaces, which older senders used, are tested one way); binary mode
// adds `content-type: application/json; charset=utf-8` when the event has no datacontenttype; it hands
// extension values to headers unconverted (an HTTP stack sends them as text); and its binary reader parses
// JSON only from a string body, as an HTTP framework delivering text would supply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudEvent as SdkEvent, HTTP } from 'cloudevents';
import {
  decodeHttpRequest,
  encodeBatch,
  encodeBinary,
  encodeStructured,
  type AttributeValue,
  type CloudEvent,
} from '../../src/core/cloudevents/index.js';

const utf8 = new TextEncoder();
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const time = '2024-05-01T12:00:00.000Z'; // the SDK writes times as Date#toISOString(); this one is already so

const base = {
  specversion: '1.0',
  id: 'interop-1',
  source: 'https://example.com/interop',
  type: 'com.example.interop',
  time,
};
const extensions = { mystring: 'value', myint: 42, mynegative: -2147483648, mybool: true, myfalse: false };
const binaryBytes = new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x7f]); // not valid UTF-8

interface Sample {
  readonly label: string;
  readonly attributes: Record<string, AttributeValue>;
  readonly kind: 'json' | 'text' | 'binary' | 'none';
  readonly sdkData: unknown;
  readonly bytes: Uint8Array | undefined;
}

const samples: Sample[] = [
  {
    label: 'JSON data without datacontenttype',
    attributes: { ...base, ...extensions },
    kind: 'json',
    sdkData: { hello: 'world', n: [1, 2.5, null] },
    bytes: utf8.encode('{"hello":"world","n":[1,2.5,null]}'),
  },
  {
    label: 'JSON data as application/json, with subject and dataschema',
    attributes: {
      ...base,
      datacontenttype: 'application/json',
      subject: 'sub/1',
      dataschema: 'https://example.com/s',
    },
    kind: 'json',
    sdkData: { a: true },
    bytes: utf8.encode('{"a":true}'),
  },
  {
    label: 'text data',
    attributes: { ...base, datacontenttype: 'text/plain', mystring: 'x' },
    kind: 'text',
    sdkData: 'Hello, \u{1f30e}!',
    bytes: utf8.encode('Hello, \u{1f30e}!'),
  },
  {
    label: 'binary (non-UTF-8) data',
    attributes: { ...base, datacontenttype: 'application/octet-stream', myint: 7 },
    kind: 'binary',
    sdkData: binaryBytes,
    bytes: binaryBytes,
  },
  {
    label: 'no data',
    attributes: { ...base, ...extensions },
    kind: 'none',
    sdkData: undefined,
    bytes: undefined,
  },
];

function sdkEvent(sample: Sample): SdkEvent<unknown> {
  return new SdkEvent<unknown>(
    sample.sdkData === undefined ? { ...sample.attributes } : { ...sample.attributes, data: sample.sdkData },
  );
}

const headersAsText = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));

function bodyBytes(body: unknown): Uint8Array {
  if (body === undefined) return new Uint8Array();
  if (typeof body === 'string') return utf8.encode(body);
  assert.ok(body instanceof Uint8Array);
  return body;
}

function assertSameData(sample: Sample, data: Uint8Array | undefined): void {
  if (sample.kind === 'none') assert.equal(data, undefined);
  else if (sample.kind === 'json') assert.deepEqual(JSON.parse(text(data)), sample.sdkData);
  else assert.deepEqual(data, sample.bytes);
}

const asStrings = (attributes: Record<string, AttributeValue>) =>
  Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)]));

for (const sample of samples) {
  test(`SDK HTTP.binary message decodes to the same event: ${sample.label}`, () => {
    const message = HTTP.binary(sdkEvent(sample));
    const headers = headersAsText(message.headers as Record<string, unknown>);
    const decoded = decodeHttpRequest(headers, bodyBytes(message.body));
    assert.equal(decoded.mode, 'binary');
    const event = decoded.events[0] as CloudEvent;
    // Binary mode carries every value as text; datacontenttype is the Content-Type the SDK wrote.
    assert.deepEqual(event.attributes, {
      ...asStrings(sample.attributes),
      datacontenttype: headers['content-type'],
    });
    assertSameData(sample, event.data);
  });

  test(`SDK HTTP.structured message decodes to the same event: ${sample.label}`, () => {
    const message = HTTP.structured(sdkEvent(sample));
    const decoded = decodeHttpRequest(
      headersAsText(message.headers as Record<string, unknown>),
      bodyBytes(message.body),
    );
    assert.equal(decoded.mode, 'structured');
    const event = decoded.events[0] as CloudEvent;
    assert.deepEqual(event.attributes, sample.attributes);
    assertSameData(sample, event.data);
  });

  const ours: CloudEvent =
    sample.bytes === undefined
      ? { attributes: sample.attributes }
      : { attributes: sample.attributes, data: sample.bytes };

  test(`our encodeBinary output parses with the SDK to the same event: ${sample.label}`, () => {
    const { headers, body } = encodeBinary(ours);
    // A server hands the SDK text for textual content and bytes otherwise.
    const payload =
      body === undefined ? undefined : sample.kind === 'binary' ? Buffer.from(body) : text(body);
    const parsed = HTTP.toEvent({ headers, body: payload }) as SdkEvent<unknown>;
    for (const [name, value] of Object.entries(sample.attributes)) {
      assert.equal(String((parsed as unknown as Record<string, unknown>)[name]), String(value), name);
    }
    if (sample.kind === 'binary') assert.deepEqual(new Uint8Array(parsed.data as Buffer), sample.bytes);
    else if (sample.kind === 'json' && sample.attributes.datacontenttype === undefined) {
      // No Content-Type is invented for an event without datacontenttype (docs/cloudevents.md), and the SDK
      // parses JSON only for a JSON Content-Type: it hands over the JSON text.
      assert.equal(headers['content-type'], undefined);
      assert.deepEqual(JSON.parse(parsed.data as string), sample.sdkData);
    } else assert.deepEqual(parsed.data, sample.sdkData);
  });

  test(`our encodeStructured output parses with the SDK to the same event: ${sample.label}`, () => {
    const { headers, body } = encodeStructured(ours);
    const parsed = HTTP.toEvent({ headers, body: text(body) }) as SdkEvent<unknown>;
    for (const [name, value] of Object.entries(sample.attributes)) {
      assert.deepEqual((parsed as unknown as Record<string, unknown>)[name], value, name);
    }
    // The SDK turns data_base64 into a Uint32Array with one element per byte.
    if (sample.kind === 'binary')
      assert.deepEqual(Array.from(parsed.data as Uint32Array), Array.from(binaryBytes));
    else assert.deepEqual(parsed.data, sample.sdkData);
  });
}

test('our encodeBatch output parses with the SDK to the same events (strict SDK validation)', () => {
  const events: CloudEvent[] = samples.map((s) =>
    s.bytes === undefined ? { attributes: s.attributes } : { attributes: s.attributes, data: s.bytes },
  );
  const { headers, body } = encodeBatch(events);
  const parsed = HTTP.toEvent({ headers, body: text(body) }) as SdkEvent<unknown>[];
  assert.equal(parsed.length, samples.length);
  parsed.forEach((event, i) => assert.equal(event.id, samples[i]?.attributes.id));
});

test('raw spaces from senders that do not percent-encode (the SDK) are accepted in binary mode', () => {
  const message = HTTP.binary(new SdkEvent({ ...base, subject: 'hello world', data: { a: 1 } }));
  const event = decodeHttpRequest(
    headersAsText(message.headers as Record<string, unknown>),
    bodyBytes(message.body),
  ).events[0];
  assert.equal(event?.attributes.subject, 'hello world');
});
