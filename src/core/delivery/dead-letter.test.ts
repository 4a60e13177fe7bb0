import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadLetterExtensions } from './index.js';

const DEST = 'http://subscriber.example/hook';
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

test('a response: destination, status code and base64 body', () => {
  assert.deepEqual(deadLetterExtensions(DEST, { kind: 'response', status: 500 }, bytes('boom')), {
    knativeerrordest: DEST,
    knativeerrorcode: '500',
    knativeerrordata: 'Ym9vbQ==',
  });
});

test('a response without a body has no knativeerrordata', () => {
  const expected = { knativeerrordest: DEST, knativeerrorcode: '404' };
  assert.deepEqual(deadLetterExtensions(DEST, { kind: 'response', status: 404 }, undefined), expected);
  assert.deepEqual(deadLetterExtensions(DEST, { kind: 'response', status: 404 }, new Uint8Array()), expected);
});

test('a network error or timeout has only knativeerrordest', () => {
  assert.deepEqual(deadLetterExtensions(DEST, { kind: 'network-error', message: 'ECONNRESET' }, undefined), {
    knativeerrordest: DEST,
  });
  assert.deepEqual(deadLetterExtensions(DEST, { kind: 'timeout' }, bytes('partial')), {
    knativeerrordest: DEST,
  });
});

test('knativeerrordata holds the first 1024 bytes of the body, any bytes, base64', () => {
  const body = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
  const extensions = deadLetterExtensions(DEST, { kind: 'response', status: 503 }, body);
  const decoded = fromBase64(extensions.knativeerrordata ?? '');
  assert.equal(decoded.length, 1024);
  assert.deepEqual(decoded, body.subarray(0, 1024));
  const short = deadLetterExtensions(DEST, { kind: 'response', status: 400 }, Uint8Array.of(0, 255, 128));
  assert.equal(short.knativeerrordata, 'AP+A');
});
