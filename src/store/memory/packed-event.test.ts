import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { packEvent, unpackEvent } from './packed-event.js';

const base = { specversion: '1.0', id: 'e-1', source: '/s', type: 't' };

const cases: { name: string; event: CloudEvent }[] = [
  { name: 'no data', event: { attributes: base } },
  { name: 'empty data', event: { attributes: base, data: new Uint8Array(0) } },
  {
    name: 'typed attributes and binary data',
    event: {
      attributes: {
        ...base,
        knativebrokerttl: 255,
        flag: true,
        neg: -2147483648,
        datacontenttype: 'application/octet-stream',
      },
      data: Uint8Array.from([0, 1, 2, 255, 0x0a, 0x22]),
    },
  },
  {
    name: 'non-ASCII attribute values and data',
    event: {
      attributes: { ...base, subject: 'grüße 🎉 "quoted" \\ \u2028', time: '2026-12-06T23:00:00.123456789Z' },
      data: new TextEncoder().encode('{"text":"日本語"}'),
    },
  },
];

for (const { name, event } of cases) {
  test(`a packed event unpacks to the same attributes and data: ${name}`, () => {
    const unpacked = unpackEvent(packEvent(event));
    assert.deepEqual(unpacked.attributes, event.attributes);
    assert.deepEqual(Object.keys(unpacked.attributes), Object.keys(event.attributes));
    assert.equal(unpacked.data === undefined, event.data === undefined);
    if (event.data !== undefined) {
      assert.deepEqual([...unpacked.data!], [...event.data]);
      assert.equal(Object.getPrototypeOf(unpacked.data), Uint8Array.prototype);
    }
  });
}

test('a packed event is one Uint8Array and does not share the original data', () => {
  const data = Uint8Array.from([1, 2, 3]);
  const packed = packEvent({ attributes: base, data });
  data[0] = 9;
  assert.deepEqual([...unpackEvent(packed).data!], [1, 2, 3]);
});
