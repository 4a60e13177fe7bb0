import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Script } from 'node:vm';
import { CONSOLE_PATH, consoleRoute, renderConsolePage } from './index.js';
import { CONSOLE_SCRIPT, CONSOLE_STYLE } from './page.js';

let server: Server;
let base: string;

before(async () => {
  server = createServer(consoleRoute);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function hashOf(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

test('GET /console answers 200 with the HTML page of the app', async () => {
  const res = await fetch(`${base}${CONSOLE_PATH}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await res.text();
  assert.equal(html, renderConsolePage());
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>cemesh console<\/title>/);
  assert.ok(html.includes(`<script>${CONSOLE_SCRIPT}</script>`));
  assert.ok(html.includes(`<style>${CONSOLE_STYLE}</style>`));
  for (const id of ['login-form', 'token', 'brokers', 'triggers', 'namespaces', 'applications', 'flow']) {
    assert.ok(html.includes(`id="${id}"`), `the page has #${id}`);
  }
  assert.match(html, /&lt;data-dir&gt;\/admin\.token/, 'the sign-in form says where the token is');
});

test('the page sets a CSP that allows only same-origin and its own inline script and style', async () => {
  const res = await fetch(`${base}${CONSOLE_PATH}`);
  const csp = directives(res.headers.get('content-security-policy') ?? '');
  assert.deepEqual(csp.get('default-src'), ["'self'"]);
  assert.deepEqual(csp.get('script-src'), ["'self'", hashOf(CONSOLE_SCRIPT)]);
  assert.deepEqual(csp.get('style-src'), ["'self'", hashOf(CONSOLE_STYLE)]);
  assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  for (const values of csp.values()) {
    assert.ok(!values.some((v) => /unsafe-eval|^\*$|^https?:/.test(v)), `no wildcard or remote source`);
  }
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
});

test('HEAD /console answers the headers without a body', async () => {
  const res = await fetch(`${base}${CONSOLE_PATH}`, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(renderConsolePage()));
  assert.equal(await res.text(), '');
});

test('the page holds no data and loads nothing from another origin', () => {
  const html = renderConsolePage();
  assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL: everything is same-origin');
  assert.doesNotMatch(html, /<(img|iframe|object|embed)\b/i);
  assert.deepEqual(html.match(/<link\b[^>]*>/gi), ['<link rel="icon" href="data:,">'], 'only an empty icon');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handler attributes (the CSP would block them)');
  assert.doesNotMatch(html, /\sstyle=/i, 'no inline style attributes (the CSP would block them)');
  assert.doesNotMatch(html, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
});

test('the inline script parses and cannot end its script element early', () => {
  assert.doesNotThrow(() => new Script(CONSOLE_SCRIPT, { filename: 'console.js' }));
  assert.doesNotMatch(CONSOLE_SCRIPT, /<\/script|<!--/i);
  assert.doesNotMatch(CONSOLE_STYLE, /<\/style/i);
});
