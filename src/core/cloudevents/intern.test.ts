import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBinary } from './binary.js';
import { intern } from './intern.js';

test('intern returns a string equal to the one given, also past the bound of its table', () => {
  const a = intern(['com.example', 'order'].join('.'));
  assert.equal(intern(['com.example', 'order'].join('.')), a);
  for (let i = 0; i < 5000; i++) assert.equal(intern(`value-${i}`), `value-${i}`);
});

test('binary decoding keeps every attribute value as sent', () => {
  const headers = (id: string): Record<string, string> => ({
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-source': '/shop/orders',
    'ce-type': 'order.created',
    'content-type': 'application/json; charset=utf-8',
  });
  const first = decodeBinary(headers('1'), new Uint8Array([123, 125]));
  const second = decodeBinary(headers('2'), new Uint8Array([123, 125]));
  assert.deepEqual(second.attributes, {
    specversion: '1.0',
    id: '2',
    source: '/shop/orders',
    type: 'order.created',
    datacontenttype: 'application/json; charset=utf-8',
  });
  assert.equal(first.attributes['id'], '1');
});
