import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleRoutes, defaultBundleDir, renderConsolePage } from './index.js';

let bundle: string;
let server: Server;
let base: string;

function serve(routes: ReturnType<typeof consoleRoutes>): Server {
  return createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
}

before(async () => {
  bundle = await mkdtemp(join(tmpdir(), 'cemesh-console-bundle-'));
  await writeFile(join(bundle, 'console.js'), 'document.title = "built";\n');
  await writeFile(join(bundle, 'console.css'), 'body { margin: 0 }\n');
  server = serve(consoleRoutes(bundle));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(bundle, { recursive: true, force: true });
});

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

test('GET /console answers the HTML shell that loads the bundle from this server', async () => {
  const res = await fetch(`${base}/console`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await res.text();
  assert.equal(html, renderConsolePage());
  assert.match(html, /<script defer src="\/console\/console\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="\/console\/console\.css">/);
  assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL: nothing comes from a CDN');
  assert.doesNotMatch(html, /<script>|<style>|\son[a-z]+=|\sstyle=/i, 'no inline code for the CSP to allow');
});

test('the bundle is served with its content type, and HEAD answers without a body', async () => {
  const script = await fetch(`${base}/console/console.js`);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await script.text(), 'document.title = "built";\n');
  const style = await fetch(`${base}/console/console.css`);
  assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
  const head = await fetch(`${base}/console/console.js`, { method: 'HEAD' });
  assert.equal(Number(head.headers.get('content-length')), 26);
  assert.equal(await head.text(), '');
});

test('the CSP allows same-origin script, style and requests only', async () => {
  const res = await fetch(`${base}/console`);
  const csp = directives(res.headers.get('content-security-policy') ?? '');
  assert.deepEqual(csp.get('script-src'), ["'self'"]);
  assert.deepEqual(csp.get('style-src'), ["'self'"]);
  assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});

test('a server without a built bundle says how to build it (503), and the page still loads', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'cemesh-console-empty-'));
  const bare = serve(consoleRoutes(empty));
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const script = await fetch(`${url}/console/console.js`);
    assert.equal(script.status, 503);
    assert.match(await script.text(), /The console is not built: .* Run "npm run build"/);
    assert.equal((await fetch(`${url}/console`)).status, 200);
  } finally {
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    await rm(empty, { recursive: true, force: true });
  }
});

test('the default bundle directory is dist/console under the package root', () => {
  assert.match(defaultBundleDir(), /[/\\]dist[/\\]console$/);
  assert.ok(!defaultBundleDir().includes(`${join('src', 'dist')}`));
});
