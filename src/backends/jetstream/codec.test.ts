import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { isMeshError } from '../../core/errors.js';
import { decodeEvent, encodeEvent } from './codec.js';

const base = { specversion: '1.0', id: 'e1', source: '/s', type: 't' };

const roundTrips: { name: string; event: CloudEvent }[] = [
  { name: 'no data', event: { attributes: base } },
  { name: 'empty data stays empty, not absent', event: { attributes: base, data: new Uint8Array() } },
  { name: 'binary data', event: { attributes: base, data: new Uint8Array([0, 255, 13, 10, 1]) } },
  {
    name: 'typed extensions keep their types',
    event: { attributes: { ...base, knativebrokerttl: 255, flag: false, n: -1 }, data: new Uint8Array([1]) },
  },
  {
    name: 'strings with CR, LF, quotes and non-ASCII',
    event: {
      attributes: { ...base, subject: 'a\r\nb "q" ü 😀', knativearrivaltime: '2024-01-01T00:00:00Z' },
    },
  },
];

for (const { name, event } of roundTrips) {
  test(`an event survives encode and decode byte for byte: ${name}`, () => {
    const decoded = decodeEvent(encodeEvent(event));
    assert.deepEqual(decoded.attributes, event.attributes);
    assert.equal('data' in decoded, event.data !== undefined);
    if (event.data !== undefined) assert.deepEqual([...decoded.data!], [...event.data]);
  });
}

test('the stored layout: format version, flags, attribute length (big-endian), attributes, data', () => {
  const encoded = encodeEvent({ attributes: { id: 'é' }, data: new Uint8Array([7, 8]) });
  const json = [...Buffer.from('{"id":"é"}')];
  assert.deepEqual([...encoded], [1, 1, 0, 0, 0, json.length, ...json, 7, 8]);
  assert.deepEqual([...encodeEvent({ attributes: {} })], [1, 0, 0, 0, 0, 2, 123, 125]);
});

test('decode reads a payload that sits inside a larger buffer', () => {
  const payload = encodeEvent({ attributes: base, data: new Uint8Array([7, 8]) });
  const outer = new Uint8Array(payload.length + 10);
  outer.set(payload, 5);
  const decoded = decodeEvent(outer.subarray(5, 5 + payload.length));
  assert.deepEqual(decoded.attributes, base);
  assert.deepEqual([...decoded.data!], [7, 8]);
});

const corrupt: { name: string; payload: Uint8Array }[] = [
  { name: 'empty', payload: new Uint8Array() },
  { name: 'unknown format version', payload: new Uint8Array([9, 0, 0, 0, 0, 2, 123, 125]) },
  { name: 'attribute length past the end', payload: new Uint8Array([1, 0, 0, 0, 0, 99, 123, 125]) },
  { name: 'attributes not JSON', payload: new Uint8Array([1, 0, 0, 0, 0, 2, 123, 123]) },
  { name: 'attributes not an object', payload: new Uint8Array([1, 0, 0, 0, 0, 2, 91, 93]) },
  { name: 'plain text someone published', payload: new TextEncoder().encode('hello world') },
];

for (const { name, payload } of corrupt) {
  test(`a payload that is not a stored event is rejected as MESH_INTERNAL: ${name}`, () => {
    assert.throws(
      () => decodeEvent(payload),
      (error: unknown) => isMeshError(error) && error.code === 'MESH_INTERNAL',
    );
  });
}
