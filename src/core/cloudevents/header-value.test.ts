import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../errors.js';
import { decodeHeaderValue, encodeHeaderValue } from './header-value.js';

const rejectsWith = (raw: string, rule: string) =>
  assert.throws(
    () => decodeHeaderValue(raw, 'ext'),
    (error: unknown) =>
      error instanceof MeshError &&
      error.code === 'MESH_EVENT_INVALID' &&
      error.details.attribute === 'ext' &&
      error.details.rule === rule,
    raw,
  );

test('the HTTP binding 3.1.3.2 example "Euro € 😀" is encoded as Euro%20%E2%82%AC%20%F0%9F%98%80', () => {
  assert.equal(encodeHeaderValue('Euro \u20ac \u{1f600}'), 'Euro%20%E2%82%AC%20%F0%9F%98%80');
  assert.equal(decodeHeaderValue('Euro%20%E2%82%AC%20%F0%9F%98%80', 'ext'), 'Euro \u20ac \u{1f600}');
});

test('MUST percent-encode space, double quote, percent and characters outside U+0021-U+007E', () => {
  const rows: [string, string][] = [
    ['a b', 'a%20b'],
    ['say "hi"', 'say%20%22hi%22'],
    ['100%', '100%25'],
    ['tab\there', 'tab%09here'],
    ['del\u007f', 'del%7F'],
    ['\u00e9', '%C3%A9'],
    ['\u07ff\u0800', '%DF%BF%E0%A0%80'],
    ['\ufeff', '%EF%BB%BF'],
  ];
  for (const [value, encoded] of rows) assert.equal(encodeHeaderValue(value), encoded, value);
});

test('printable ASCII other than space, double quote and percent is left as it is', () => {
  const printable = "!#$&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~";
  assert.equal(encodeHeaderValue(printable), printable);
  assert.equal(decodeHeaderValue(printable, 'ext'), printable);
});

test('decoding MUST accept lower-case hexadecimal', () => {
  assert.equal(decodeHeaderValue('%c3%a9%2a', 'ext'), '\u00e9*');
});

test('values that have been unnecessarily percent-encoded MUST be accepted', () => {
  assert.equal(decodeHeaderValue('%61%62%63%2F', 'ext'), 'abc/');
});

test('exactly one round of percent-decoding is performed', () => {
  assert.equal(decodeHeaderValue('%2541', 'ext'), '%41');
});

test('encoded byte sequences invalid in UTF-8 MUST be rejected (overlong %C0%A0 included)', () => {
  for (const raw of ['%C0%A0', '%FF', '%E2%82', '%ED%A0%80', '%F4%90%80%80', '%80'])
    rejectsWith(raw, 'percent-encoding');
});

test('a percent sign not followed by two hex digits is rejected', () => {
  for (const raw of ['100%', '%4', '%zz', 'a%2']) rejectsWith(raw, 'percent-encoding');
});

test('double-quoted strings MUST be unescaped before percent-decoding (older senders)', () => {
  assert.equal(decodeHeaderValue('"hello world"', 'ext'), 'hello world');
  assert.equal(decodeHeaderValue('"a \\"quoted\\" \\\\ word"', 'ext'), 'a "quoted" \\ word');
  assert.equal(decodeHeaderValue('pre"mid dle"post', 'ext'), 'premid dlepost');
  assert.equal(decodeHeaderValue('"%41"', 'ext'), 'A');
  rejectsWith('"unterminated', 'header-encoding');
});

test('raw non-ASCII characters in a header value are rejected (they MUST be percent-encoded)', () => {
  rejectsWith('caf\u00e9', 'header-encoding');
  rejectsWith('\u00c3\u00a9', 'header-encoding');
});

test('a leading U+FEFF is kept: it is part of the value, not a byte-order mark', () => {
  assert.equal(decodeHeaderValue('%EF%BB%BFx', 'ext'), '\ufeffx');
});

test('encode then decode is the identity for valid strings', () => {
  const samples = [
    '',
    'plain',
    'a b "c" 100% d',
    'Ω≈ç√∫',
    '\u{1f600}\u{10fffd}',
    'mixed ascii € and 😀!',
    '%41',
  ];
  for (const value of samples) assert.equal(decodeHeaderValue(encodeHeaderValue(value), 'ext'), value, value);
});
