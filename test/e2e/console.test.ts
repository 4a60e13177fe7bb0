// The web console in a real browser (Debian's chromium through playwright-core) against a real server:
// sign in with the admin token, see resources become Ready, watch a broker's events live and a trigger's
// deliveries, and show event data as text, never as markup.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { request } from 'undici';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = join(tmpdir(), 'cemesh-console-e2e.png');

let server: TestServer;
let subscriber: Subscriber;
let userDataDir: string;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the console e2e test needs Debian's chromium at ${CHROMIUM}: install it with ` +
        '"apt-get update && apt-get install -y chromium" (.ci/run does this on CI)',
    );
  }
  server = await startTestServer();
  subscriber = await startSubscriber();
  await server.apply(
    broker('shop'),
    trigger('orders', {
      broker: 'shop',
      filter: { attributes: { type: 'order.created' } },
      subscriber: { uri: subscriber.url },
    }),
  );
  userDataDir = await mkdtemp(join(tmpdir(), 'cemesh-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000); // generous for a loaded CI machine; passing steps take well under 1 s
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

after(async () => {
  await context?.close();
  await server?.stop();
  await subscriber?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

async function send(id: string, type: string, body: string): Promise<void> {
  const res = await request(`${server.ingressUrl}/default/shop`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': '/console-test',
      'ce-type': type,
      'content-type': 'application/json',
    },
    body,
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

test('the console is public, the API behind it needs the token', async () => {
  const consolePage = await request(`${server.adminUrl}/console`);
  assert.equal(consolePage.statusCode, 200);
  assert.ok(!(await consolePage.body.text()).includes(server.token), 'the page holds no token');
  const list = await request(`${server.adminUrl}/api/v1/namespaces`);
  assert.equal(list.statusCode, 401);
  await list.body.dump();
});

test('a wrong token is refused and the sign-in form asks again', async () => {
  await page.goto(`${server.adminUrl}/console`);
  await page.getByLabel('Admin token').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The server refused the token').waitFor();
  assert.equal(await page.locator('#app').isHidden(), true);
  pageErrors.length = 0; // the browser logs the refused request; only what follows must be clean
});

test('signed in, the console lists the broker and the trigger as Ready', async () => {
  await page.getByLabel('Admin token').fill(server.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#brokers tr[data-key="default/shop"][data-ready="True"]').waitFor();
  const triggerRow = page.locator('#triggers tr[data-key="default/orders"][data-ready="True"]');
  await triggerRow.waitFor();
  assert.match(await triggerRow.innerText(), /type = order\.created/);
  assert.match(await triggerRow.innerText(), new RegExp(subscriber.url.replace(/[.]/g, '\\.')));
  assert.match(await page.locator('#brokers').innerText(), /\/default\/shop/, 'the broker address');
  await page.locator('#status.live').waitFor();
});

test('the broker live view shows an event sent through the ingress', async () => {
  await page
    .locator('#brokers tr[data-key="default/shop"]')
    .getByRole('button', { name: 'Live events' })
    .click();
  await page.locator('#flow .flow-status.listening').waitFor();
  await send('order-1', 'order.created', '{"item":"book","qty":2}');
  const row = page.locator('#flow tr.event[data-id="order-1"]');
  await row.waitFor();
  assert.match(await row.innerText(), /order\.created/);
  assert.match(await row.innerText(), /"item":"book"/);
  await subscriber.waitFor(1);
});

test('event data is shown as text: no HTML injection from event attributes or data', async () => {
  await send(
    '<img src=x id=injected>',
    'order.<b>bold</b>',
    '{"html":"<script>globalThis.injected = 1</script><img src=x>"}',
  );
  const row = page.locator('#flow tr.event', { hasText: '<img src=x id=injected>' });
  await row.waitFor();
  await row.click();
  const detail = page.locator('#flow tr.detail pre');
  assert.match(await detail.innerText(), /<script>globalThis\.injected = 1<\/script>/);
  assert.equal(await page.locator('#flow img, #flow b, #flow script, #injected').count(), 0);
  assert.equal(await page.evaluate(() => (globalThis as any).injected), undefined);
});

test('the trigger deliveries view shows the event delivered', async () => {
  await page
    .locator('#triggers tr[data-key="default/orders"]')
    .getByRole('button', { name: 'Deliveries' })
    .click();
  const row = page.locator('#flow tr.delivery[data-id="order-1"][data-outcome="delivered"]');
  await row.waitFor();
  assert.match(await row.innerText(), /delivered\s+1\s+HTTP 200/);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log(`console screenshot: ${SCREENSHOT}`);
  assert.deepEqual(pageErrors, [], 'no script errors and no CSP violations');
});
