import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REMEMBERED_URLS, MAX_REMEMBERED_URL_CHARS, rememberedUrlCount, urlParts } from './url-parts.js';

const valid = [
  'http://127.0.0.1:9/',
  'https://Example.COM/hook?x=1#frag',
  'http://[::1]:8080/a/b',
  'http://subscriber.default.svc.cluster.local',
  'https://example.com:443/',
  'http://example.com/%7Efoo?q=%20',
  'mailto:someone@example.com',
  'http://xn--nxasmq6b.example/',
];

test('urlParts: the parts URL gives, asked once or twice', () => {
  for (const text of valid) {
    const url = new URL(text);
    const expected = {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      origin: url.origin,
      pathname: url.pathname,
      search: url.search,
    };
    assert.deepEqual({ ...urlParts(text) }, expected, text);
    assert.deepEqual({ ...urlParts(text) }, expected, `${text}, remembered`);
  }
});

test('urlParts: not an absolute URL is undefined, every time', () => {
  for (const text of ['', '/relative', 'no scheme', 'http://', 'http://exa mple.com/']) {
    assert.equal(urlParts(text), undefined, text);
    assert.equal(urlParts(text), undefined, `${text}, remembered`);
  }
});

test('urlParts: the parts are frozen, so one caller cannot change what another reads', () => {
  const parts = urlParts('http://frozen.example/')!;
  assert.ok(Object.isFrozen(parts));
});

test('urlParts: remembers a bounded number of texts, and none longer than the limit', () => {
  for (let i = 0; i < MAX_REMEMBERED_URLS + 50; i++) urlParts(`http://host-${i}.example/`);
  assert.equal(rememberedUrlCount(), MAX_REMEMBERED_URLS);
  // A remembered text answers the same object again; one parsed afresh answers a new one.
  assert.equal(urlParts('http://host-1073.example/'), urlParts('http://host-1073.example/'));
  const long = `http://example.com/${'a'.repeat(MAX_REMEMBERED_URL_CHARS)}`;
  assert.equal(urlParts(long)?.hostname, 'example.com');
  assert.notEqual(urlParts(long), urlParts(long));
  assert.equal(rememberedUrlCount(), MAX_REMEMBERED_URLS);
});
